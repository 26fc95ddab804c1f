/**
 * OTP verification with `@tidings/verify`: a login service sends codes over Telegram Gateway with
 * SMS (SMSC) as the fallback, checks what users type, limits resends and attempts.
 *
 * Out of the box both providers are simulators started in this process on 127.0.0.1 (no account,
 * no network): the parts to replace for real providers are marked ▶.
 */
import { fileURLToPath } from 'node:url';
import { smscChannel } from '@tidings/channel-smsc';
import { smscSimulatorProfile } from '@tidings/channel-smsc/simulator';
import { telegramChannel } from '@tidings/channel-telegram';
import { telegramSimulatorProfile } from '@tidings/channel-telegram/simulator';
import { createTidings, TidingsError } from '@tidings/core';
import { decodeText } from '@tidings/transport-smpp';
import { SmscSimulator } from '@tidings/transport-smpp/simulator';
import { type CheckResult, createVerifier, type VerificationEvent } from '@tidings/verify';

export interface OtpVerifyOptions {
  /** Where lines go. Default `console.log`. */
  readonly write?: (line: string) => void;
}

/** What happened, for the example's test. */
export interface OtpVerifyResult {
  /** Every check's answer, per user. */
  readonly checks: Readonly<Record<string, readonly CheckResult['status'][]>>;
  /** Every event of `verifier.verifications$`. */
  readonly events: readonly VerificationEvent[];
  /** The error code of Carol's early resend. */
  readonly resendRefused: string | undefined;
  /** What each simulated phone received, in order. */
  readonly phones: Readonly<Record<string, readonly string[]>>;
}

const users = {
  alice: '+79030000001',
  bob: '+79030000002',
  carol: '+79030000003',
  dave: '+79030000004',
} as const;
type User = keyof typeof users;

export async function main({ write = console.log }: OtpVerifyOptions = {}): Promise<OtpVerifyResult> {
  // 1. The providers. ▶ Replace with your Telegram Gateway and SMSC accounts (see `providers`).
  const providers = await startProviders();
  const tidings = await createTidings({
    plugins: [telegramChannel(providers.telegram), smscChannel(providers.smsc)],
  });
  // 2. The verifier: codes of 6 digits for 5 minutes, 3 attempts, a resend every 30 s at most.
  //    ▶ In production, add `pepper` (a server secret from your secret store) and a shared store.
  const verifier = createVerifier(tidings, {
    via: ['telegram', 'smsc'],
    ttlMs: 5 * 60_000,
    maxAttempts: 3,
    resendCooldownMs: 30_000,
    fallbackAfterMs: 30_000,
    texts: { en: 'Your Acme code: {code}', ru: 'Ваш код Acme: {code}' },
  });
  const events: VerificationEvent[] = [];
  // 3. The statuses, as a stream (never the code).
  verifier.verifications$.subscribe((event) => {
    events.push(event);
    write(`  event  ${describe(event)}`);
  });

  const checks: Record<string, CheckResult['status'][]> = {};
  const check = async (user: User, target: string | { to: string }, code: string): Promise<CheckResult> => {
    const result = await verifier.check(target, code);
    (checks[user] ??= []).push(result.status);
    write(
      `  check  ${user} types ${code}: ${result.status}${result.status === 'wrong' ? ` (${result.attemptsLeft} left)` : ''}`,
    );
    return result;
  };
  // The user's phone: here, what the simulated provider received for that number.
  const phone = (user: User): string => {
    const text = providers.received(users[user]).at(-1) ?? '';
    write(`  phone  ${user} reads "${text}"`);
    return text.match(/[0-9]{6}/)?.[0] ?? '';
  };
  const wrongCode = (code: string): string => (code === '000000' ? '111111' : '000000');
  let resendRefused: string | undefined;

  // 4. The users: each starts, reads the code "on the phone", checks.
  try {
    write('1. Alice: the code comes by Telegram; a typo, then the right code.');
    const alice = await verifier.start({ to: users.alice, locale: 'en' });
    await alice.message.settled;
    const aliceCode = phone('alice');
    await check('alice', alice.verificationId, wrongCode(aliceCode));
    await check('alice', alice.verificationId, aliceCode);

    write('2. Bob: Telegram refuses his number, the code falls back to SMS; checked by phone number.');
    const bob = await verifier.start({ to: users.bob, locale: 'ru' });
    await bob.message.settled;
    await check('bob', { to: users.bob }, phone('bob'));

    write('3. Carol: asks for another code at once (refused: cooldown), then gives up.');
    const carol = await verifier.start({ to: users.carol });
    await carol.message.settled;
    try {
      await verifier.resend(carol.verificationId);
    } catch (error) {
      if (!TidingsError.is(error)) throw error;
      resendRefused = error.code;
      const afterMs = error.retry.kind === 'retry' ? error.retry.afterMs : undefined;
      write(`  resend refused: ${error.code}, retry in ${Math.ceil((afterMs ?? 0) / 1000)} s`);
    }
    await verifier.cancel(carol.verificationId);
    await check('carol', carol.verificationId, phone('carol'));

    write('4. Dave: three guesses use up his attempts; the right code no longer works.');
    const dave = await verifier.start({ to: users.dave });
    await dave.message.settled;
    const daveCode = phone('dave');
    for (let i = 0; i < 3; i++) await check('dave', dave.verificationId, wrongCode(daveCode));
    await check('dave', dave.verificationId, daveCode);
  } finally {
    // 5. Stop: the verifier's timers and stream, then the runtime, then the simulators.
    await verifier.close();
    await tidings.stop();
    await providers.stop();
  }
  const phones = Object.fromEntries(Object.entries(users).map(([user, to]) => [user, providers.received(to)]));
  return { checks, events, resendRefused, phones };
}

/**
 * ▶ Replace with your providers: `telegramChannel({ host, port, systemId, password, sender })` with
 * the values Telegram Gateway agreed with you, and `smscChannel({ systemId, password })` with your
 * SMSC login. Here, two simulators speak SMPP as those providers do; Telegram refuses Bob's number
 * (status 0x0B, "sending to this number is not allowed").
 */
async function startProviders() {
  const telegramSim = await SmscSimulator.start({
    profile: telegramSimulatorProfile({ blockedRecipients: [users.bob] }),
    accounts: [{ systemId: 'acme-tg', password: 'simulated' }],
  });
  const smscSim = await SmscSimulator.start({
    profile: smscSimulatorProfile(),
    accounts: [{ systemId: 'acme', password: 'simulated' }],
  });
  const sims = [telegramSim, smscSim];
  // What each number received: the texts a provider accepted (a refused submit never reaches a phone).
  const phones = new Map<string, string[]>();
  for (const sim of sims) {
    sim.on('submit', (event) => {
      if (event.status !== 0 || event.pdu.command !== 'submit_sm') return;
      const number = event.pdu.destination_addr.replace(/^\+/, '');
      const texts = phones.get(number) ?? [];
      texts.push(decodeText(event.pdu.short_message, event.pdu.data_coding));
      phones.set(number, texts);
    });
  }
  return {
    telegram: {
      host: telegramSim.host,
      port: telegramSim.port,
      systemId: 'acme-tg',
      password: 'simulated',
      sender: 'Acme',
    },
    smsc: { host: smscSim.host, port: smscSim.port, backupHosts: [], systemId: 'acme', password: 'simulated' },
    received: (to: string): string[] => [...(phones.get(to.replace(/^\+/, '')) ?? [])],
    stop: async () => {
      await Promise.all(sims.map((sim) => sim.stop()));
    },
  };
}

function describe(event: VerificationEvent): string {
  const head = `${event.type.padEnd(15)} ${event.to}`;
  switch (event.type) {
    case 'sent':
      return `${head} via ${event.channels.join(' → ')} (send ${event.send})`;
    case 'fallback':
      return `${head} ${event.channel} → ${event.nextChannel} (${event.reason})`;
    case 'delivered':
    case 'delivery_failed':
      return `${head} on ${event.channel}`;
    case 'wrong_code':
      return `${head} ${event.attemptsLeft} attempt${event.attemptsLeft === 1 ? '' : 's'} left`;
    default:
      return head;
  }
}

// `pnpm start` runs this file; the test imports `main`.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
