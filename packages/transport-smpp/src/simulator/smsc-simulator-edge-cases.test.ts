import { describe, expect, it } from 'vitest';
import { CommandStatus } from '../pdu/command-status.js';
import type { DeliverSm, Pdu } from '../pdu/pdu.js';
import { TlvRegistry } from '../pdu/tlv-registry.js';
import { boundClient, connectClient, startSimulator } from './raw-client.test-helper.js';

const settledNow = <T>(promise: Promise<T>): Promise<'resolved' | 'rejected' | 'pending'> =>
  Promise.race([
    promise.then(
      () => 'resolved' as const,
      () => 'rejected' as const,
    ),
    new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending'))),
  ]);

describe('SmscSimulator: edge cases', () => {
  it('an async profile hook whose decision does not encode is answered (like a sync one), not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      const sim = await startSimulator({
        profile: {
          name: 'async-bad-id',
          // The same decision returned synchronously gets a generic_nack ESME_RSYSERR.
          onSubmit: async () => ({ messageId: 'ид-1' }),
        },
      });
      const client = await boundClient(sim);
      const answer = await client.submit({}, 2_000).catch((error: Error) => error);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
      expect(answer).toMatchObject({ command_status: CommandStatus.ESME_RSYSERR });
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('a receipt the client answers "try later" (ESME_RX_T_APPN) is not lost: the next receiver bind gets it', async () => {
    const sim = await startSimulator();
    const first = await boundClient(sim, 'transceiver', { answerDeliverSm: CommandStatus.ESME_RX_T_APPN });
    const response = await first.submit({ registered_delivery: 1 });
    const refused = (await first.deliverSm()) as DeliverSm;
    await sim.waitFor({ command: 'deliver_sm_resp' });
    await first.unbind();
    const second = await boundClient(sim, 'receiver');
    const again = await second.deliverSm(3_000).catch((error: Error) => error);
    const id = (pdu: DeliverSm) => TlvRegistry.standard.read(pdu.tlvs, 'receipted_message_id');
    expect(id(refused)).toBe(response.message_id);
    expect(again).toMatchObject({ command: 'deliver_sm' });
  });

  it('with responseDelayMs and no `early`, the receipt does not overtake the submit_sm_resp', async () => {
    const sim = await startSimulator({ faults: { responseDelayMs: 100 } });
    const client = await boundClient(sim);
    await client.submit({ registered_delivery: 1 });
    await client.deliverSm();
    const order = client.received.map((pdu: Pdu) => pdu.command).filter((c) => c !== 'bind_transceiver_resp');
    expect(order).toEqual(['submit_sm_resp', 'deliver_sm']);
  });

  it('a waitFor pending when the simulator stops is settled by stop() (no timer outlives the simulator)', async () => {
    const sim = await startSimulator();
    await connectClient(sim);
    const pending = sim.waitFor({ command: 'submit_sm' }, { timeoutMs: 600_000 });
    pending.catch(() => undefined);
    await sim.stop();
    expect(await settledNow(pending)).not.toBe('pending');
  });
});
