import smpp from 'smpp';
import { benchMessage, type Target, type TargetConfig, type TargetHooks } from './target.js';

/**
 * (a) The baseline: node-smpp used as its README shows (plus `setNoDelay`), one `submit_sm` callback per message,
 * receipts answered with `pdu.response()` and matched by `receipted_message_id`.
 */
export async function openRawNodeSmpp(config: TargetConfig, hooks: TargetHooks): Promise<Target> {
  const session = smpp.connect({ url: `smpp://${config.host}:${config.port}` });
  // Without it node-smpp's one-write-per-PDU meets Nagle and delayed ACKs: 40 ms stalls that
  // would flatter every ratio. The baseline gets the one-line fix a careful user applies.
  session.socket.setNoDelay(true);
  session.on('error', () => {});
  // message_id → index, from the submit_sm_resp until its receipt.
  const byMessageId = new Map<string, number>();
  session.on('deliver_sm', (pdu) => {
    session.send(pdu.response());
    const id = pdu.receipted_message_id;
    const index = id === undefined ? undefined : byMessageId.get(id);
    if (index === undefined) return;
    byMessageId.delete(id as string);
    hooks.onReceipt(index);
  });
  await new Promise<void>((resolve, reject) => {
    session.bind_transceiver({ system_id: 'test', password: 'secret' }, (pdu) => {
      if (pdu.command_status === 0) resolve();
      else reject(new Error(`node-smpp bind refused: status ${pdu.command_status}`));
    });
  });
  const registered_delivery = config.receipts ? 1 : 0;
  return {
    send(index) {
      session.submit_sm(
        {
          source_addr_ton: 5,
          source_addr: benchMessage.sender,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: benchMessage.recipient,
          registered_delivery,
          short_message: benchMessage.text,
        },
        (pdu) => {
          const ok = pdu.command_status === 0;
          if (ok && config.receipts && pdu.message_id !== undefined) byMessageId.set(pdu.message_id, index);
          hooks.onResponse(index, ok);
        },
      );
    },
    close() {
      return new Promise<void>((resolve) => {
        const timer = setTimeout(() => session.destroy(() => resolve()), 1000);
        session.unbind({}, () => {
          clearTimeout(timer);
          session.close(() => resolve());
        });
      });
    },
  };
}
