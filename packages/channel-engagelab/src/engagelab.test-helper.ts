import type { Logger, SendContext } from '@tidings/core';
import { type SimulatorProfile, SmscSimulator, type SmscSimulatorOptions } from '@tidings/transport-smpp/simulator';
import type { EngageLabMessage } from './engagelab-message.js';
import type { EngageLabOptions } from './engagelab-options.js';
import { type EngageLabSimulatorProfileOptions, engagelabSimulatorProfile } from './simulator/engagelab-profile.js';

export const ACCOUNT = { systemId: 'acme', password: 's3cret!' } as const;

/** An EngageLab simulator on 127.0.0.1, a free port, with the `acme` account. */
export function startEngageLab(
  profile: EngageLabSimulatorProfileOptions = {},
  options: Omit<SmscSimulatorOptions, 'profile'> = {},
  profileChanges: Partial<SimulatorProfile> = {},
): Promise<SmscSimulator> {
  return SmscSimulator.start({
    accounts: [ACCOUNT],
    profile: { ...engagelabSimulatorProfile(profile), ...profileChanges },
    ...options,
  });
}

/** Channel options pointing at a simulator, with quick reconnects for tests. */
export function optionsFor<const TName extends string = 'engagelab'>(
  sim: SmscSimulator,
  overrides: Partial<EngageLabOptions> & { readonly name?: TName | undefined } = {},
): EngageLabOptions & { readonly name?: TName | undefined } {
  return {
    host: sim.host,
    port: sim.port,
    systemId: ACCOUNT.systemId,
    password: ACCOUNT.password,
    unbindTimeoutMs: 500,
    reconnect: { initialDelayMs: 10, maxDelayMs: 50, jitter: 0 },
    ...overrides,
  };
}

/** A send context for calling `channel.send` directly. */
export function sendContext(attempt = 1): SendContext {
  return { messageId: `m-${attempt}`, attempt, signal: new AbortController().signal };
}

export const otp: EngageLabMessage = {
  to: '+6598765432',
  serviceType: 'CODE',
  code: '123456',
  template: { id: 'login-otp' },
};

export const notice: EngageLabMessage = {
  to: '+6598765432',
  template: { id: 'order-shipped', params: { order: 'A-1001' } },
};

/** Every line logged, for checking that secrets stay out. */
export function recordingLogger(): Logger & { readonly lines: string[] } {
  const lines: string[] = [];
  const record =
    (level: string) =>
    (message: string, fields?: Readonly<Record<string, unknown>>): void => {
      lines.push(
        `${level} ${message} ${JSON.stringify(fields ?? {}, (_k, v) => (v instanceof Error ? v.message : v))}`,
      );
    };
  return {
    lines,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

/** The UCS2 (UTF-16BE) text of a short_message. */
export function ucs2(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2)
    text += String.fromCharCode(((bytes[i] as number) << 8) | (bytes[i + 1] as number));
  return text;
}

/** Things to stop after each test, last started first. */
export function cleanupList(): { add(stop: () => Promise<unknown> | unknown): void; run(): Promise<void> } {
  let stops: Array<() => Promise<unknown> | unknown> = [];
  return {
    add: (stop) => {
      stops.push(stop);
    },
    run: async () => {
      const pending = stops.reverse();
      stops = [];
      for (const stop of pending) await stop();
    },
  };
}
