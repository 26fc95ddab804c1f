import {
  createTidings,
  defineChannelPlugin,
  type MessageBase,
  type MessageEvent,
  silentLogger,
  systemClock,
} from '@tidings/core';
import { SmppChannel, type SubmitPlan } from '@tidings/transport-smpp';
import { benchMessage, type Target, type TargetConfig, type TargetHooks } from './target.js';

/**
 * (c) The full runtime: `createTidings` with one SMPP channel; each message goes send → queued →
 * submitted → accepted (→ delivered on its receipt), watched on the runtime's `events$` only, as a
 * bulk sender would (no per-message subscriptions).
 */
export async function openTidingsRuntime(config: TargetConfig, hooks: TargetHooks): Promise<Target> {
  const tidings = await createTidings({
    plugins: [benchChannel(config)],
    logger: silentLogger,
    // The driver keeps `window` messages between send and accepted; the lane must not hold them back.
    channelSettings: { sms: { maxInFlight: config.window, maxQueued: 1_000_000 } },
  });
  // message id → index, from send until the terminal event.
  const byId = new Map<string, number>();
  const subscription = tidings.events$.subscribe((event: MessageEvent) => {
    switch (event.type) {
      case 'accepted': {
        const index = byId.get(event.messageId);
        if (index === undefined) return;
        if (event.terminal) byId.delete(event.messageId);
        hooks.onResponse(index, true);
        return;
      }
      case 'delivered': {
        const index = byId.get(event.messageId);
        if (index === undefined) return;
        byId.delete(event.messageId);
        hooks.onReceipt(index);
        return;
      }
      case 'failed':
      case 'rejected':
      case 'undelivered':
      case 'expired': {
        if (!event.terminal) return;
        const index = byId.get(event.messageId);
        if (index === undefined) return;
        byId.delete(event.messageId);
        hooks.onResponse(index, false);
        return;
      }
      default:
    }
  });
  const message: MessageBase = { to: `+${benchMessage.recipient}`, text: benchMessage.text };
  return {
    send(index) {
      tidings.send('sms', message).then(
        (handle) => byId.set(handle.id, index),
        () => hooks.onResponse(index, false),
      );
    },
    async close() {
      await tidings.stop({ timeoutMs: 2000 });
      subscription.unsubscribe();
    },
  };
}

/**
 * A minimal SMPP channel. Its options are closed over instead of injected, so the bench needs no
 * inversify of its own (a published channel injects them, see the transport README).
 */
function benchChannel(config: TargetConfig) {
  class BenchChannel extends SmppChannel<MessageBase> {
    constructor() {
      super({
        name: 'sms',
        kind: 'bench-sms',
        capabilities: { kinds: ['sms'], receipts: config.receipts, inbound: false },
        connection: {
          host: config.host,
          port: config.port,
          systemId: 'test',
          password: 'secret',
          window: config.window,
          enquireLinkIntervalMs: 0,
        },
        clock: systemClock,
        logger: silentLogger,
      });
    }

    protected toSubmit(message: MessageBase): SubmitPlan {
      return {
        text: message.text ?? '',
        source: { addr: benchMessage.sender, ton: 5, npi: 0 },
        destination: { addr: benchMessage.recipient, ton: 1, npi: 1 },
      };
    }
  }
  return defineChannelPlugin({ name: 'sms', kind: 'bench-sms', options: {}, channel: BenchChannel });
}
