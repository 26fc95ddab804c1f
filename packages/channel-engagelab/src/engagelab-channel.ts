import {
  type Clock,
  type DeliveryReport,
  ErrorCode,
  type InboundMessage,
  type Logger,
  type SendContext,
  TidingsError,
  TOKENS,
} from '@tidings/core';
import {
  type DataSm,
  type DeliverSm,
  type MessageQueryResult,
  SmppChannel,
  type SubmitPlan,
} from '@tidings/transport-smpp';
import { inject, injectable } from 'inversify';
import type { EngageLabMessage } from './engagelab-message.js';
import { type ResolvedEngageLabOptions, toConnectionOptions } from './engagelab-options.js';
import { engagelabStatusTable } from './engagelab-status-table.js';
import { type EngageLabSubmitOptions, engagelabSubmitPlan } from './engagelab-submit.js';

/**
 * EngageLab OTP over SMPP: `bind_transceiver` sessions with keep-alive, each message one
 * `submit_sm` whose `short_message` is the provider's JSON, and delivery reports that arrive as
 * `deliver_sm` with `esm_class` 0 (recognised by `receipted_message_id` / `message_state` and the
 * receipt text, by the transport).
 *
 * The server supports five commands only — `bind_transceiver`, `enquire_link`, `unbind`,
 * `submit_sm`, `deliver_sm_resp` — and answers anything else with `generic_nack` (a
 * `TIDINGS_PROTOCOL_ERROR`, never retried): this channel sends nothing else, and `queryMessage`
 * fails locally.
 */
@injectable()
export class EngageLabChannel extends SmppChannel<EngageLabMessage> {
  readonly #submitOptions: EngageLabSubmitOptions;

  constructor(
    @inject(TOKENS.ChannelName) name: string,
    @inject(TOKENS.ChannelOptions) options: ResolvedEngageLabOptions,
    @inject(TOKENS.Clock) clock: Clock,
    @inject(TOKENS.Logger) logger: Logger,
  ) {
    super({
      name,
      kind: 'engagelab',
      capabilities: { kinds: ['template', 'code'], receipts: true, inbound: false },
      connection: toConnectionOptions(options),
      clock,
      logger,
      statusTable: engagelabStatusTable,
    });
    this.#submitOptions = {
      dataCoding: options.dataCoding,
      normalizeRecipients: options.normalizeRecipients,
      sender: options.sender,
    };
  }

  override async start(): Promise<void> {
    try {
      await super.start();
    } catch (error) {
      throw TidingsError.is(error, ErrorCode.AuthFailed) ? this.#authError(error) : error;
    }
  }

  /**
   * EngageLab has no `query_sm` (it would answer `generic_nack`): delivery reports come by
   * themselves. Fails locally, without touching the wire (`tidings.query('engagelab', id)` too).
   */
  override async query(_providerMessageId: string): Promise<DeliveryReport> {
    throw this.#queryUnsupported();
  }

  /** As {@link query}: `query_sm` is not supported by this channel. */
  override async queryMessage(_providerMessageId: string): Promise<MessageQueryResult> {
    throw this.#queryUnsupported();
  }

  protected toSubmit(message: EngageLabMessage, _context: SendContext | undefined): SubmitPlan {
    return engagelabSubmitPlan(message, this.#submitOptions);
  }

  /** EngageLab uses `deliver_sm` for delivery reports only: anything else is logged and dropped. */
  protected override toInbound(_text: string, pdu: DeliverSm | DataSm): InboundMessage | undefined {
    this.logger.warn('EngageLab sent a deliver_sm that is not a delivery report; ignored', {
      channel: this.name,
      serviceType: pdu.service_type,
      esmClass: pdu.esm_class,
    });
    return undefined;
  }

  #queryUnsupported(): TidingsError {
    return new TidingsError(
      ErrorCode.Unsupported,
      `${this.owner}: query_sm is not supported by this channel (EngageLab answers it with generic_nack); delivery reports arrive as deliver_sm on their own`,
      { channel: this.name, details: { command: 'query_sm' } },
    );
  }

  /**
   * The transport gives up after `maxBindFailures` silent closes in answer to the bind; say what
   * that means with EngageLab. A bind refused with a status keeps the transport's error.
   */
  #authError(cause: TidingsError): TidingsError {
    const failures = cause.details?.bindFailures;
    if (typeof failures !== 'number') return cause.with({ channel: this.name });
    // maxBindFailures counts per session: each of them gave up after that many.
    const sessions = this.connection.binds;
    return new TidingsError(
      ErrorCode.AuthFailed,
      `${this.owner}: authentication failed: EngageLab closed the connection right after bind_transceiver ${failures} times in a row${sessions > 1 ? ` on each of its ${sessions} sessions (${failures * sessions} binds in all)` : ''} without answering, which is how it refuses a system_id or password; check the credentials EngageLab issued. Reconnecting stopped.`,
      { channel: this.name, cause, details: { bindFailures: failures, sessions } },
    );
  }
}
