import { SmscSimulator } from '@tidings/transport-smpp/simulator';

/**
 * The SMSC, in its own process so it never shares a CPU core's event loop with the client under
 * test. Tells the parent its port, then answers CPU-time questions (to show it is not the bottleneck).
 */
export type SmscRequest = { readonly type: 'cpu' } | { readonly type: 'stop' };
export type SmscReply =
  | { readonly type: 'ready'; readonly port: number }
  | { readonly type: 'cpu'; readonly micros: number; readonly rssBytes: number };

const simulator = await SmscSimulator.start({
  host: '127.0.0.1',
  port: 0,
  // Receipts right after the submit_sm_resp; a deliver_sm window wide enough for window 1000.
  receipts: { delayMs: 0 },
  window: 5000,
  // A bench needs neither the PDU log nor query_sm over a million messages.
  maxRecordedPdus: 1,
  maxStoredMessages: 10_000,
});

const send = (reply: SmscReply): void => {
  process.send?.(reply);
};

process.on('message', (request: SmscRequest) => {
  if (request.type === 'cpu') {
    const usage = process.cpuUsage();
    send({ type: 'cpu', micros: usage.user + usage.system, rssBytes: process.memoryUsage.rss() });
  } else if (request.type === 'stop') {
    void simulator.stop().then(() => process.exit(0));
  }
});
process.on('disconnect', () => void simulator.stop().then(() => process.exit(0)));
send({ type: 'ready', port: simulator.port });
