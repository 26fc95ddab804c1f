import type { Socket } from 'node:net';

/**
 * Collects the frames written during one turn of the event loop and hands them to the socket in
 * one write: with `setNoDelay(true)` this gives full segments without Nagle's ~40 ms stalls, and
 * one syscall for a burst instead of one per PDU.
 */
export class FrameWriter {
  readonly #socket: Socket;
  #frames: Buffer[] = [];
  #bytes = 0;
  #scheduled = false;
  #closed = false;
  /** Called right after a batch reached the socket. */
  readonly #onFlushed: () => void;

  readonly #maxBufferedBytes: number;
  readonly #onStalled: (bufferedBytes: number) => void;

  constructor(
    socket: Socket,
    options: {
      onFlushed?: () => void;
      /** Called when the socket holds more than `maxBufferedBytes` the peer has not taken. */
      onStalled?: (bufferedBytes: number) => void;
      maxBufferedBytes?: number;
    } = {},
  ) {
    this.#socket = socket;
    this.#onFlushed = options.onFlushed ?? (() => {});
    this.#onStalled = options.onStalled ?? (() => {});
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  }

  /** Bytes accepted and not yet handed to the socket. */
  get queuedBytes(): number {
    return this.#bytes;
  }

  /** Bytes the socket itself still buffers (the peer is slow or stopped reading). */
  get socketBufferedBytes(): number {
    return this.#socket.writableLength;
  }

  /** Takes back a frame not handed to the socket yet; false when it is already gone. */
  cancel(frame: Buffer): boolean {
    const index = this.#frames.indexOf(frame);
    if (index < 0) return false;
    this.#frames.splice(index, 1);
    this.#bytes -= frame.length;
    return true;
  }

  write(frame: Buffer): void {
    if (this.#closed) return;
    this.#frames.push(frame);
    this.#bytes += frame.length;
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.flush);
    }
  }

  /** Writes everything queued now. */
  readonly flush = (): void => {
    this.#scheduled = false;
    if (this.#closed || this.#frames.length === 0) return;
    const frames = this.#frames;
    const chunk = frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames, this.#bytes);
    this.#frames = [];
    this.#bytes = 0;
    const socket = this.#socket;
    if (!socket.destroyed && !socket.writableEnded) socket.write(chunk);
    this.#onFlushed();
    // The peer stopped reading: the window keeps requests bounded, but timed-out slots refill.
    if (socket.writableLength > this.#maxBufferedBytes) this.#onStalled(socket.writableLength);
  };

  /** Drops whatever was not written yet. */
  close(): void {
    this.#closed = true;
    this.#frames = [];
    this.#bytes = 0;
  }
}
