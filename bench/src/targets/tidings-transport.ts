import { silentLogger, systemClock } from '@tidings/core';
import {
  chooseAlphabet,
  dataCodingOf,
  defaultReconnectPolicy,
  defaultSessionTimeouts,
  defaultStatusTable,
  encodeText,
  type Pdu,
  SmppClient,
  TlvRegistry,
} from '@tidings/transport-smpp';
import { benchMessage, type Target, type TargetConfig, type TargetHooks } from './target.js';

/**
 * (b) The Tidings transport alone: an `SmppClient` (one session, window = the bench window), the
 * text encoded per message as a host of the transport would, receipts matched by
 * `receipted_message_id`.
 */
export async function openTidingsTransport(config: TargetConfig, hooks: TargetHooks): Promise<Target> {
  const byMessageId = new Map<string, number>();
  // A receipt read in the same chunk as its submit_sm_resp comes before the response's promise
  // settles (promises resolve on the microtask queue): hold its id until then.
  const early = new Set<string>();
  const tlvs = TlvRegistry.standard;
  const onServerRequest = (pdu: Pdu): number => {
    if (pdu.command === 'deliver_sm') {
      const id = tlvs.read(pdu.tlvs, 'receipted_message_id');
      if (typeof id !== 'string') return 0;
      const index = byMessageId.get(id);
      if (index === undefined) early.add(id);
      else {
        byMessageId.delete(id);
        hooks.onReceipt(index);
      }
    }
    return 0;
  };
  const client = new SmppClient({
    label: 'bench',
    endpoints: [{ host: config.host, port: config.port }],
    credentials: { systemId: 'test', password: 'secret' },
    mode: 'transceiver',
    binds: 1,
    window: config.window,
    timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0 },
    reconnect: defaultReconnectPolicy,
    maxBindFailures: 3,
    statusTable: defaultStatusTable,
    clock: systemClock,
    logger: silentLogger,
    onServerRequest,
  });
  await client.connect();
  const registered_delivery = config.receipts ? 1 : 0;
  return {
    send(index) {
      const alphabet = chooseAlphabet(benchMessage.text);
      const onFailure = (): void => hooks.onResponse(index, false);
      client
        .request({
          command: 'submit_sm',
          service_type: '',
          source_addr_ton: 5,
          source_addr_npi: 0,
          source_addr: benchMessage.sender,
          dest_addr_ton: 1,
          dest_addr_npi: 1,
          destination_addr: benchMessage.recipient,
          esm_class: 0,
          protocol_id: 0,
          priority_flag: 0,
          schedule_delivery_time: '',
          validity_period: '',
          registered_delivery,
          replace_if_present_flag: 0,
          data_coding: dataCodingOf(alphabet),
          sm_default_msg_id: 0,
          short_message: encodeText(benchMessage.text, alphabet),
        })
        .then((response) => {
          const ok = response.command_status === 0;
          hooks.onResponse(index, ok);
          if (!ok || !config.receipts || !('message_id' in response)) return;
          if (early.delete(response.message_id)) hooks.onReceipt(index);
          else byMessageId.set(response.message_id, index);
        }, onFailure);
    },
    close: () => client.close({ drainTimeoutMs: 1000 }),
  };
}
