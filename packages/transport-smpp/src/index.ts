// Channel authors: the base class and its options.
export {
  defaultReconnectPolicy,
  type ResolvedSmppConnection,
  resolveSmppConnection,
  type SmppConnectionOptions,
} from './channel/connection-options.js';
export {
  backupHostsOption,
  durationMsOption,
  hostOption,
  portOption,
  printableAscii,
  type ResolvedConnectionFields,
  reconnectOption,
  requiredString,
  type SmppChannelOptions,
  smppConnectionFields,
  type TlsOptionObject,
  tlsFields,
  tlsOption,
  tlsOptionOf,
  toSmppConnection,
} from './channel/connection-schema.js';
export {
  type MessageQueryResult,
  type SmppAddress,
  SmppChannel,
  type SmppChannelConfig,
  type SmppEncodingPolicy,
  type SubmitPlan,
} from './channel/smpp-channel.js';

// The client (core's Transport) and one session.
export { SmppClient, type SmppClientOptions, type SmppClientState, type SubmitOptions } from './client/smpp-client.js';
// Text: alphabets, segmentation, the part counter, inbound reassembly.
export {
  type Alphabet,
  alphabetOfDataCoding,
  type ChooseAlphabetOptions,
  chooseAlphabet,
  type DefaultAlphabet,
  dataCodingOf,
} from './encoding/alphabet.js';
export { gsm7Length } from './encoding/gsm7.js';
export { type CountPartsOptions, countParts, type PartCount } from './encoding/part-counter.js';
export type { Concatenation } from './encoding/part-layout.js';
export {
  type ConcatenatedPart,
  ConcatenationReassembler,
  type ConcatenationReassemblerOptions,
} from './encoding/reassembler.js';
export { type Segment, type SegmentedText, type SegmentOptions, segmentText } from './encoding/segmenter.js';
export { type DecodeTextOptions, decodeText, encodeText } from './encoding/text-codec.js';
export {
  type ConcatenationInfo,
  concatenationUdh,
  type ParsedUdh,
  parseUdh,
  type ReferenceBits,
  type UdhElement,
} from './encoding/udh.js';
// PDUs and TLVs.
export { decodePdu, encodePdu } from './pdu/codec.js';
export { CommandStatus, describeStatus } from './pdu/command-status.js';
export { FrameReader, type FrameReaderOptions } from './pdu/frame-reader.js';
export type {
  BindFields,
  BindReceiver,
  BindResp,
  BindTransceiver,
  BindTransmitter,
  CancelSm,
  CommandName,
  DataSm,
  DataSmFields,
  DeliverSm,
  EmptyPdu,
  MessageIdResp,
  OtherPdu,
  Outbind,
  Pdu,
  QuerySm,
  QuerySmResp,
  ShortMessageFields,
  SubmitSm,
  Tlv,
} from './pdu/pdu.js';
export { CommandId, commandIdOf, EsmClass, isResponseId } from './pdu/pdu.js';
export {
  deliverSm,
  genericNack,
  type ResponseFields,
  responseTo,
  type ShortMessageInput,
  submitSm,
} from './pdu/pdu-factory.js';
export { parseSmppTime, relativeSmppTime, type SmppTime, secondsUntilSmppTime } from './pdu/smpp-time.js';
export {
  type DecodedTlv,
  type TlvDefinition,
  TlvRegistry,
  type TlvValue,
  type TlvValueType,
} from './pdu/tlv-registry.js';
// Delivery receipts and message ids.
export { canonicalMessageId, type MessageIdFormat } from './receipt/message-id.js';
export {
  type ExtractReceiptOptions,
  extractReceipt,
  isReceipt,
  type Receipt,
  statToDeliveryState,
} from './receipt/receipt.js';
export {
  formatReceiptText,
  parseReceiptDate,
  parseReceiptText,
  type ReceiptTextFields,
  type ReceiptTextFormatOptions,
  type ReceiptTextInput,
} from './receipt/receipt-text.js';
export type { RequestReply } from './session/sent-request.js';
export {
  type OutgoingRequest,
  type RequestOptions as SessionRequestOptions,
  type ServerRequestHandler,
  type SessionState,
  type SessionStatus,
  SmppSession,
} from './session/session.js';
export {
  type BindAddressing,
  type BindMode,
  type Credentials,
  defaultSessionTimeouts,
  type Endpoint,
  type SessionOptions,
  type SessionTimeouts,
  type TlsSettings,
} from './session/session-options.js';

// Provider status codes → retry decisions.
export {
  classifyStatus,
  defaultStatusTable,
  extendStatusTable,
  isAuthFailureStatus,
  type StatusClass,
  type StatusErrorContext,
  type StatusRule,
  type StatusTable,
  statusToError,
} from './status/status-table.js';
