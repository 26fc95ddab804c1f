// The parts of node-smpp (npm `smpp` 0.5.1, untyped) the baseline client uses.
declare module 'smpp' {
  export interface SmppPdu {
    readonly command: string;
    readonly command_status: number;
    readonly sequence_number: number;
    readonly message_id?: string;
    readonly receipted_message_id?: string;
    response(options?: Record<string, unknown>): SmppPdu;
  }
  export interface Session {
    readonly socket: import('node:net').Socket;
    bind_transceiver(options: Record<string, unknown>, callback: (pdu: SmppPdu) => void): void;
    submit_sm(options: Record<string, unknown>, callback: (pdu: SmppPdu) => void): void;
    unbind(options?: Record<string, unknown>, callback?: (pdu: SmppPdu) => void): void;
    send(pdu: SmppPdu): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    on(event: 'deliver_sm', listener: (pdu: SmppPdu) => void): this;
    on(event: 'error', listener: (error: Error) => void): this;
    on(event: 'close', listener: () => void): this;
  }
  export function connect(options: { url: string; auto_enquire_link_period?: number }, listener?: () => void): Session;
  const smpp: { connect: typeof connect };
  export default smpp;
}
