import type { Clock, Logger } from '@tidings/core';

export type BindMode = 'transmitter' | 'receiver' | 'transceiver';

/** TLS settings (`ssmpp`). Certificates are verified unless `rejectUnauthorized` is set to false. */
export interface TlsSettings {
  /** PEM CA certificate(s) to trust in addition to (or, for a private CA, instead of) the system ones. */
  readonly ca?: string | readonly string[];
  /** Defaults to true. Turn off only for a test server. */
  readonly rejectUnauthorized?: boolean;
  /** SNI and certificate host name, when it differs from `host`. */
  readonly servername?: string;
  /** PEM client certificate and key, for providers that ask for mutual TLS. */
  readonly cert?: string;
  readonly key?: string;
}

export interface Endpoint {
  readonly host: string;
  readonly port: number;
}

export interface Credentials {
  readonly systemId: string;
  readonly password: string;
  readonly systemType?: string;
}

/** The bind PDU's addressing fields, when a provider asks for them. */
export interface BindAddressing {
  readonly interfaceVersion?: number;
  readonly addrTon?: number;
  readonly addrNpi?: number;
  readonly addressRange?: string;
}

/** Timing of one session, in milliseconds. */
export interface SessionTimeouts {
  /** TCP (and TLS) connect. Default 10 s. */
  readonly connectTimeoutMs: number;
  /** From bind sent to bind response. Default 10 s. */
  readonly bindTimeoutMs: number;
  /** Default for each request's response. Default 30 s. */
  readonly responseTimeoutMs: number;
  /** Interval of keep-alive `enquire_link`s once bound. Default 30 s; 0 turns keep-alive off. */
  readonly enquireLinkIntervalMs: number;
  /** An `enquire_link` unanswered this long means the peer is dead. Default 10 s. */
  readonly enquireLinkTimeoutMs: number;
  /** How long a server request may wait for our answer; then a temporary error is sent. Default 5 s. */
  readonly serverRequestTimeoutMs: number;
  /** From `unbind` sent to the socket closed. Default 3 s. */
  readonly unbindTimeoutMs: number;
}

/** Node runs a timer set beyond this after 1 ms; longer waits are clamped to it. */
export const maxTimerMs = 2_147_483_647;

export const defaultSessionTimeouts: SessionTimeouts = Object.freeze({
  connectTimeoutMs: 10_000,
  bindTimeoutMs: 10_000,
  responseTimeoutMs: 30_000,
  enquireLinkIntervalMs: 30_000,
  enquireLinkTimeoutMs: 10_000,
  serverRequestTimeoutMs: 5_000,
  unbindTimeoutMs: 3_000,
});

export interface SessionOptions {
  readonly endpoint: Endpoint;
  readonly tls?: TlsSettings | undefined;
  readonly credentials: Credentials;
  readonly mode: BindMode;
  readonly addressing?: BindAddressing | undefined;
  /** Max unanswered requests. */
  readonly window: number;
  readonly timeouts: SessionTimeouts;
  /** Frames longer than this close the session. Default 70 000 bytes (a 64 KiB `message_payload`). */
  readonly maxFrameBytes?: number | undefined;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Used in log lines and errors, e.g. `smsc channel "sms" #2`. Never contains credentials. */
  readonly label: string;
}
