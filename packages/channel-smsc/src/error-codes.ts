/**
 * The `err` codes of SMSC statuses (delivery receipts and `query_sm`), as typed reasons. SMS, HLR
 * and the other kinds share one table; e-mail has its own, where the low codes mean other things.
 */
export type SmscErrorReason =
  | 'ok'
  | 'subscriber-not-found'
  | 'subscriber-offline'
  | 'service-not-connected'
  | 'phone-error'
  | 'subscriber-blocked'
  | 'service-not-supported'
  | 'virtual-sending'
  | 'sim-card-replaced'
  | 'operator-queue-overflow'
  | 'insufficient-funds'
  | 'call-not-answered'
  | 'no-template'
  | 'forbidden-ip'
  | 'subscriber-busy'
  | 'conversion-error'
  | 'answering-machine'
  | 'no-contract'
  | 'mailing-prohibited'
  | 'status-not-received'
  | 'outside-sending-time'
  | 'daily-limit-exceeded'
  | 'no-route'
  | 'invalid-number'
  | 'number-forbidden-by-settings'
  | 'number-limit-exceeded'
  | 'number-not-permitted'
  | 'spam-filter'
  | 'unregistered-sender'
  | 'rejected-by-operator';

export type SmscMailErrorReason =
  | 'ok'
  | 'recipient-not-found'
  | 'inbox-full'
  | 'recipient-server-not-found'
  | 'mailbox-locked'
  | 'forbidden-ip'
  | 'status-not-received'
  | 'no-route'
  | 'invalid-address'
  | 'address-prohibited'
  | 'spam-filter'
  | 'unregistered-sender'
  | 'rejected-by-recipient-server';

export interface SmscErrorInfo<TReason extends string = SmscErrorReason | SmscMailErrorReason> {
  readonly code: number;
  /** A stable name for the code, `'unknown'` for a code the provider's page does not list. */
  readonly reason: TReason | 'unknown';
  readonly description: string;
}

const entry = <T extends string>(code: number, reason: T, description: string): [number, SmscErrorInfo<T>] => [
  code,
  Object.freeze({ code, reason, description }),
];

/** `err` of SMS, HLR, call, Viber and other statuses. */
export const smscErrors: ReadonlyMap<number, SmscErrorInfo<SmscErrorReason>> = new Map<
  number,
  SmscErrorInfo<SmscErrorReason>
>([
  entry(0, 'ok', 'no error: the subscriber exists and is available'),
  entry(1, 'subscriber-not-found', 'the subscriber does not exist'),
  entry(6, 'subscriber-offline', 'the subscriber is offline or out of coverage'),
  entry(11, 'service-not-connected', 'the subscriber cannot receive SMS (service off, roaming, landline)'),
  entry(12, 'phone-error', "an error in the subscriber's phone or SIM card"),
  entry(13, 'subscriber-blocked', 'the subscriber is blocked'),
  entry(21, 'service-not-supported', "the subscriber's device does not support the service"),
  entry(200, 'virtual-sending', 'virtual sending: the account is in test mode'),
  entry(219, 'sim-card-replaced', 'the SIM card was replaced: alphanumeric senders are blocked for 24 h'),
  entry(220, 'operator-queue-overflow', "the operator's queue overflowed; the provider retries"),
  entry(224, 'insufficient-funds', 'not enough money on the account'),
  entry(237, 'call-not-answered', 'the callee did not answer the call'),
  entry(238, 'no-template', 'only templated messages are allowed and this one fits none'),
  entry(239, 'forbidden-ip', 'sent from an IP address not allowed in the account'),
  entry(240, 'subscriber-busy', 'the subscriber is busy or declined the call'),
  entry(241, 'conversion-error', 'audio conversion failed, or not every SMS part reached the operator'),
  entry(242, 'answering-machine', 'an answering machine took the call'),
  entry(243, 'no-contract', 'mass or advertising sending without a contract'),
  entry(244, 'mailing-prohibited', 'mailings are prohibited for the account, or the text has a prohibited link'),
  entry(245, 'status-not-received', 'no status from the operator within a day: delivery unknown'),
  entry(246, 'outside-sending-time', "outside the account's allowed sending time"),
  entry(247, 'daily-limit-exceeded', "the account's daily message limit is exceeded"),
  entry(248, 'no-route', 'no route to this number'),
  entry(249, 'invalid-number', 'invalid number format'),
  entry(250, 'number-forbidden-by-settings', "the number is forbidden by the account's settings"),
  entry(
    251,
    'number-limit-exceeded',
    'the per-number limit is exceeded (also more than 50 messages to one subscriber less than 30 s apart)',
  ),
  entry(252, 'number-not-permitted', "the number is not permitted (e.g. one of the provider's own numbers)"),
  entry(253, 'spam-filter', 'blocked by the spam filter'),
  entry(254, 'unregistered-sender', 'the sender id is not registered'),
  entry(255, 'rejected-by-operator', 'the operator rejected the message without a reason'),
]);

/** `err` of e-mail statuses. */
export const smscMailErrors: ReadonlyMap<number, SmscErrorInfo<SmscMailErrorReason>> = new Map<
  number,
  SmscErrorInfo<SmscMailErrorReason>
>([
  entry(0, 'ok', 'no error: the recipient exists and is available'),
  entry(1, 'recipient-not-found', 'the e-mail address does not exist'),
  entry(2, 'inbox-full', "the recipient's inbox is full"),
  entry(3, 'recipient-server-not-found', "the recipient's mail server was not found"),
  entry(4, 'mailbox-locked', 'the mailbox is locked'),
  entry(239, 'forbidden-ip', 'sent from an IP address not allowed in the account'),
  entry(245, 'status-not-received', "no status from the recipient's server within a day: delivery unknown"),
  entry(248, 'no-route', 'no route to this address'),
  entry(249, 'invalid-address', 'invalid e-mail address format'),
  entry(252, 'address-prohibited', 'the address is prohibited (e.g. blacklisted)'),
  entry(253, 'spam-filter', 'blocked by the spam filter'),
  entry(254, 'unregistered-sender', 'the sender address is not registered'),
  entry(255, 'rejected-by-recipient-server', "the recipient's mail server rejected the message"),
]);

/** The typed reason of a status `err` (`'251'`, `251`), from the e-mail table for e-mail messages. */
export function smscErrorInfo(err: number | string, table: 'sms' | 'mail' = 'sms'): SmscErrorInfo | undefined {
  const code = typeof err === 'number' ? err : /^\s*\d+\s*$/.test(err) ? Number.parseInt(err, 10) : Number.NaN;
  if (!Number.isInteger(code)) return undefined;
  const known = (table === 'mail' ? smscMailErrors : smscErrors).get(code);
  return known ?? { code, reason: 'unknown', description: `error ${code}, not listed by the provider` };
}
