// The parts of node-smpp (npm `smpp` 0.5.1, untyped) that this package touches.

declare module 'smpp/lib/defs' {
  export interface FieldType {
    read(buffer: Buffer, offset: number, length?: number): unknown;
    write(value: unknown, buffer: Buffer, offset: number): void;
    size(value: unknown): number;
    readonly default: unknown;
  }
  export interface ParamDefinition {
    readonly type: FieldType;
    readonly default?: unknown;
  }
  export interface CommandDefinition {
    readonly id: number;
    readonly command: string;
    readonly params?: Readonly<Record<string, ParamDefinition>>;
  }
  export interface TlvDefinition {
    readonly id: number;
    readonly tag: string;
    readonly type: FieldType;
    readonly multiple?: boolean;
  }
  export const commands: Readonly<Record<string, CommandDefinition>>;
  export const commandsById: Readonly<Record<number, CommandDefinition | undefined>>;
  export const tlvs: Readonly<Record<string, TlvDefinition>>;
  export const tlvsById: Readonly<Record<number, TlvDefinition | undefined>>;
  export const types: {
    readonly int8: FieldType;
    readonly int16: FieldType;
    readonly int32: FieldType;
    readonly string: FieldType;
    readonly cstring: FieldType;
    readonly buffer: FieldType;
    readonly dest_address_array: FieldType;
    readonly unsuccess_sme_array: FieldType;
  };
}

declare module 'smpp' {
  export class PDU {
    constructor(command: string, options?: Record<string, unknown>);
    constructor(buffer: Buffer);
    static fromBuffer(buffer: Buffer): PDU | false;
    static maxLength: number;
    command: string;
    command_length: number;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    toBuffer(): Buffer;
  }
}
