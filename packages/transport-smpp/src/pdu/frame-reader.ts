import { Buffer } from 'node:buffer';
import { ErrorCode, TidingsError } from '@tidings/core';

export interface FrameReaderOptions {
  /** Largest accepted command_length. Default 70 000: room for a 64 KiB message_payload. */
  readonly maxFrameBytes?: number;
}

const HEADER_SIZE = 16;
const DEFAULT_MAX_FRAME_BYTES = 70_000;

/**
 * Cuts a TCP byte stream into SMPP frames (each exactly `command_length` bytes).
 *
 * A frame that lies inside one chunk is emitted as a view of that chunk (no copy); a frame split
 * across chunks is copied once into a fresh buffer. Memory handed to `onFrame` is never reused.
 *
 * A command_length below 16 or above `maxFrameBytes` throws TIDINGS_PROTOCOL_ERROR and poisons
 * the reader (the frame boundaries are lost): close the connection. If `onFrame` throws, the
 * error propagates and the bytes after that frame stay buffered: the next `feed` continues with
 * them, so a caller may catch, answer with generic_nack, and go on.
 */
export class FrameReader {
  readonly #maxFrameBytes: number;
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** command_length of the frame being assembled, 0 while its header is incomplete. */
  #expected = 0;
  #failure: TidingsError | undefined;
  #feeding = false;
  /** Bumped by reset(), so a reset from inside onFrame stops the running feed. */
  #generation = 0;

  constructor(options: FrameReaderOptions = {}) {
    const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isInteger(max) || max < HEADER_SIZE || max > 0xffffffff) {
      throw new TidingsError(
        ErrorCode.InvalidOptions,
        `maxFrameBytes must be an integer from 16 to 4294967295, got ${String(max)}`,
      );
    }
    this.#maxFrameBytes = max;
  }

  /** Bytes received and not yet emitted as a frame. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /** Forgets buffered bytes and any earlier failure, for a new connection. */
  reset(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#expected = 0;
    this.#failure = undefined;
    this.#generation++;
  }

  /** Emits every frame completed by `chunk`, in order. */
  feed(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    if (this.#failure !== undefined) {
      throw new TidingsError(
        ErrorCode.ProtocolError,
        'the SMPP stream was already found corrupt; close the connection (or reset() the reader for a new one)',
        { cause: this.#failure, details: this.#failure.details ?? {} },
      );
    }
    if (this.#feeding) {
      throw new TidingsError(
        ErrorCode.Internal,
        'FrameReader.feed was called from inside onFrame; feed chunks in order',
      );
    }
    this.#feeding = true;
    try {
      if (this.#pendingBytes === 0) this.#scan(chunk, 0, onFrame);
      else this.#continue(chunk, onFrame);
    } finally {
      this.#feeding = false;
    }
  }

  /** Completes the buffered partial frame with the head of `chunk`, then scans the rest of it. */
  #continue(chunk: Buffer, onFrame: (frame: Buffer) => void): void {
    const buffered = this.#pendingBytes;
    const total = buffered + chunk.length;
    if (this.#expected === 0) {
      if (total < 4) {
        this.#keep(chunk, 0);
        return;
      }
      this.#expected = this.#checkLength(this.#peekLength(chunk));
    }
    const expected = this.#expected;
    if (total < expected) {
      this.#keep(chunk, 0);
      return;
    }
    if (buffered >= expected) {
      // Only after onFrame threw: whole frames are buffered. Rare, so one concat is fine.
      const merged = Buffer.concat([...this.#pending, chunk], total);
      this.#clearPending();
      this.#scan(merged, 0, onFrame);
      return;
    }
    const frame = Buffer.allocUnsafe(expected);
    let offset = 0;
    for (const part of this.#pending) {
      part.copy(frame, offset);
      offset += part.length;
    }
    const taken = expected - buffered;
    chunk.copy(frame, offset, 0, taken);
    this.#clearPending();
    const generation = this.#generation;
    try {
      onFrame(frame);
    } catch (error) {
      if (generation === this.#generation) this.#keep(chunk, taken);
      throw error;
    }
    if (generation === this.#generation) this.#scan(chunk, taken, onFrame);
  }

  /** Emits the whole frames of `buffer` from `start` as views, and keeps the incomplete tail. */
  #scan(buffer: Buffer, start: number, onFrame: (frame: Buffer) => void): void {
    const end = buffer.length;
    const generation = this.#generation;
    let offset = start;
    try {
      while (end - offset >= 4) {
        const length = this.#checkLength(buffer.readUInt32BE(offset));
        if (end - offset < length) break;
        const frame = buffer.subarray(offset, offset + length);
        offset += length;
        onFrame(frame);
        if (generation !== this.#generation) return;
      }
    } catch (error) {
      if (this.#failure === undefined && generation === this.#generation) this.#keep(buffer, offset);
      throw error;
    }
    this.#keep(buffer, offset);
  }

  #keep(buffer: Buffer, from: number): void {
    if (from >= buffer.length) return;
    const part = from === 0 ? buffer : buffer.subarray(from);
    this.#pending.push(part);
    this.#pendingBytes += part.length;
  }

  #clearPending(): void {
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#expected = 0;
  }

  /** command_length from the first 4 bytes of the buffered parts followed by `next`. */
  #peekLength(next: Buffer): number {
    let length = 0;
    let count = 0;
    for (const part of this.#pending) {
      for (let i = 0; i < part.length && count < 4; i++, count++) length = length * 256 + (part[i] as number);
      if (count === 4) return length;
    }
    for (let i = 0; count < 4; i++, count++) length = length * 256 + (next[i] as number);
    return length;
  }

  #checkLength(length: number): number {
    if (length >= HEADER_SIZE && length <= this.#maxFrameBytes) return length;
    this.#failure = new TidingsError(
      ErrorCode.ProtocolError,
      `SMPP command_length ${length} is outside 16..${this.#maxFrameBytes}: the stream is corrupt or not SMPP; close the connection`,
      { details: { commandLength: length } },
    );
    throw this.#failure;
  }
}
