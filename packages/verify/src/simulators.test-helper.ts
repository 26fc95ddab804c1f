import { type SmscMessage, smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { type TelegramMessage, telegramChannel } from '@tidings/channel-telegram';
import { type TelegramSimulatorProfileOptions, telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { type Clock, createTidings, InMemoryMessageStore, type MessageEvent, type Tidings } from '@tidings/core';
import { decodeText, type SubmitSm } from '@tidings/transport-smpp';
import { type SimulatorProfile, SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import { filter, firstValueFrom, ReplaySubject } from 'rxjs';
import { onTestFinished } from 'vitest';
import { createVerifier } from './create-verifier.js';
import { InMemoryVerificationStore } from './in-memory-verification-store.js';
import type { VerificationEvent } from './verification-events.js';
import type { Verifier } from './verifier.js';
import type { VerifierOptions } from './verifier-options.js';
import { recordingLogger } from './verify.test-helper.js';

export interface ProviderSetup {
  /** Telegram Gateway (channel `telegram`) and SMSC (channel `smsc`), simulated on 127.0.0.1. */
  readonly telegramSim: SmscSimulator;
  readonly smscSim: SmscSimulator;
  readonly tidings: Tidings<{ telegram: TelegramMessage; smsc: SmscMessage }>;
  readonly verifier: Verifier<'telegram' | 'smsc'>;
  readonly store: InMemoryVerificationStore;
  readonly messageStore: InMemoryMessageStore;
  readonly logger: ReturnType<typeof recordingLogger>;
  /** Every event of `tidings.events$` and of `verifier.verifications$`. */
  readonly messageEvents: MessageEvent[];
  readonly verificationEvents: VerificationEvent[];
  /** The first verification event (past or future) matching `predicate`. */
  verificationEvent(predicate: (event: VerificationEvent) => boolean): Promise<VerificationEvent>;
}

export interface ProviderSetupOptions {
  readonly telegram?: TelegramSimulatorProfileOptions;
  /** Simulator options of the Telegram Gateway (receipts: `{ stat: 'UNDELIV' }`…). */
  readonly telegramSimulator?: Omit<SmscSimulatorOptions, 'profile'>;
  /** The gateway accepts codes but never sends a receipt. */
  readonly telegramSilent?: boolean;
  readonly verifier?: VerifierOptions;
  /** The verifier's clock (TTL, cooldowns); the runtime keeps real time for its sockets. */
  readonly verifierClock?: Clock;
}

/** Telegram Gateway and SMSC simulators over TCP, a runtime with both channels and a verifier; all stopped after the test. */
export async function providerSetup(options: ProviderSetupOptions = {}): Promise<ProviderSetup> {
  let gateway: SimulatorProfile = telegramSimulatorProfile(options.telegram);
  if (options.telegramSilent) {
    const onSubmit = gateway.onSubmit?.bind(gateway);
    gateway = {
      ...gateway,
      onSubmit: async (submit, ctx) => {
        const decision = await onSubmit?.(submit, ctx);
        return typeof decision === 'object' && !decision.status ? { ...decision, receipt: false } : decision;
      },
    };
  }
  const telegramSim = await SmscSimulator.start({ ...options.telegramSimulator, profile: gateway });
  onTestFinished(() => telegramSim.stop());
  const smscSim = await SmscSimulator.start({ profile: smscSimulatorProfile() });
  onTestFinished(() => smscSim.stop());

  const logger = recordingLogger();
  const messageStore = new InMemoryMessageStore();
  const tidings = await createTidings({
    plugins: [
      telegramChannel({
        host: telegramSim.host,
        port: telegramSim.port,
        systemId: 'test',
        password: 'secret',
        sender: 'VerifyDemo',
        enquireLinkIntervalMs: 0,
        unbindTimeoutMs: 500,
        reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
      }),
      smscChannel({
        host: smscSim.host,
        port: smscSim.port,
        backupHosts: [],
        systemId: 'test',
        password: 'secret',
        unbindTimeoutMs: 500,
        reconnect: { initialDelayMs: 10, maxDelayMs: 100, jitter: 0 },
      }),
    ],
    logger,
    store: messageStore,
  });
  onTestFinished(() => tidings.stop({ timeoutMs: 1_000 }));
  const messageEvents: MessageEvent[] = [];
  tidings.events$.subscribe((event) => messageEvents.push(event));

  const store = new InMemoryVerificationStore();
  const verifier = createVerifier(tidings, {
    via: ['telegram', 'smsc'],
    logger,
    store,
    ...(options.verifierClock === undefined ? {} : { clock: options.verifierClock }),
    ...options.verifier,
  });
  onTestFinished(() => verifier.close());
  const verificationEvents: VerificationEvent[] = [];
  const replay = new ReplaySubject<VerificationEvent>();
  verifier.verifications$.subscribe((event) => {
    verificationEvents.push(event);
    replay.next(event);
  });
  return {
    telegramSim,
    smscSim,
    tidings,
    verifier,
    store,
    messageStore,
    logger,
    messageEvents,
    verificationEvents,
    verificationEvent: (predicate) => firstValueFrom(replay.pipe(filter(predicate))),
  };
}

/** The text of a submit_sm as the provider reads it. */
export function submitText(submit: SubmitSm): string {
  return decodeText(submit.short_message, submit.data_coding);
}

/** The texts a simulated provider received, in order. */
export function textsReceived(sim: SmscSimulator): string[] {
  return sim.pdus({ command: 'submit_sm' }).map(submitText);
}

/** The code in the `n`th text a provider received (the last by default): what the user would type. */
export function codeReceived(sim: SmscSimulator, n = -1): string {
  const text = textsReceived(sim).at(n);
  const code = text?.match(/[0-9]{4,10}/)?.[0];
  if (code === undefined) throw new Error(`no code in submit #${n}: ${JSON.stringify(text)}`);
  return code;
}
