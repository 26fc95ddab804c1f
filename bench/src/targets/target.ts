/** What every system under test gets: where the SMSC is and how to send. */
export interface TargetConfig {
  readonly host: string;
  readonly port: number;
  /** Max messages between send and submit_sm_resp (also the SMPP window of our client). */
  readonly window: number;
  /** Ask for delivery receipts (registered_delivery 1). */
  readonly receipts: boolean;
}

/** How a target reports progress: by the index the driver gave the message. */
export interface TargetHooks {
  /** The submit_sm_resp (runtime: the `accepted` event, or a failure before it). */
  onResponse(index: number, ok: boolean): void;
  /** The delivery receipt (runtime: the `delivered` event). */
  onReceipt(index: number): void;
}

/** One system under test, connected and bound. */
export interface Target {
  send(index: number): void;
  close(): Promise<void>;
}

export type TargetName = 'raw' | 'transport' | 'runtime';

/** The message every target sends: a typical OTP. */
export const benchMessage = {
  sender: 'Tidings',
  recipient: '4915112345678',
  text: 'Your code is 123456',
} as const;
