import { silentLogger, systemClock } from '@tidings/core';
import { CommandStatus } from '../pdu/command-status.js';
import type { SubmitSm } from '../pdu/pdu.js';
import { submitSm } from '../pdu/pdu-factory.js';
import { defaultSessionTimeouts, type Endpoint } from '../session/session-options.js';
import { defaultStatusTable } from '../status/status-table.js';
import type { SmppClientOptions } from './smpp-client.js';

/** Client options for tests: one transceiver bind as test/secret, quick reconnects, no keep-alive. */
export function testClientOptions(
  endpoints: readonly Endpoint[],
  overrides: Partial<SmppClientOptions> = {},
): SmppClientOptions {
  return {
    label: 'test client',
    endpoints,
    credentials: { systemId: 'test', password: 'secret' },
    mode: 'transceiver',
    binds: 1,
    window: 10,
    timeouts: { ...defaultSessionTimeouts, enquireLinkIntervalMs: 0, unbindTimeoutMs: 500 },
    reconnect: { maxAttempts: Number.POSITIVE_INFINITY, initialDelayMs: 20, maxDelayMs: 100, multiplier: 2, jitter: 0 },
    maxBindFailures: 3,
    statusTable: defaultStatusTable,
    clock: systemClock,
    logger: silentLogger,
    onServerRequest: () => CommandStatus.ESME_ROK,
    ...overrides,
  };
}

/** A one-part "hello" to `to`. */
export const testSubmit = (to: string): SubmitSm =>
  submitSm({ source_addr: 'Tidings', destination_addr: to, short_message: new TextEncoder().encode('hello') }, 0);
