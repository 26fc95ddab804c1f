import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { FrameWriter } from './frame-writer.js';

/** The part of a socket the writer uses, recording every write. */
function fakeSocket(buffered = 0) {
  const writes: Buffer[] = [];
  const socket = {
    destroyed: false,
    writableEnded: false,
    writableLength: buffered,
    write(chunk: Buffer) {
      writes.push(chunk);
      return true;
    },
  };
  return { socket: socket as unknown as Socket & typeof socket, writes };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('FrameWriter', () => {
  it('hands every frame of one event-loop turn to the socket in one write, in order', async () => {
    const { socket, writes } = fakeSocket();
    let flushed = 0;
    const writer = new FrameWriter(socket, { onFlushed: () => flushed++ });
    writer.write(Buffer.from([1, 2]));
    writer.write(Buffer.from([3]));
    writer.write(Buffer.from([4, 5, 6]));
    expect(writes).toHaveLength(0);
    expect(writer.queuedBytes).toBe(6);
    await turn();
    expect(writes).toEqual([Buffer.from([1, 2, 3, 4, 5, 6])]);
    expect(flushed).toBe(1);
    writer.write(Buffer.from([7]));
    await turn();
    expect(writes).toHaveLength(2);
  });

  it('takes back a frame not written yet, and only then', async () => {
    const { socket, writes } = fakeSocket();
    const writer = new FrameWriter(socket);
    const kept = Buffer.from([1]);
    const dropped = Buffer.from([2, 2]);
    writer.write(kept);
    writer.write(dropped);
    expect(writer.cancel(dropped)).toBe(true);
    expect(writer.queuedBytes).toBe(1);
    await turn();
    expect(writes).toEqual([Buffer.from([1])]);
    expect(writer.cancel(kept)).toBe(false);
  });

  it('reports a peer that stopped reading once the socket holds too much', async () => {
    const { socket } = fakeSocket(5_000);
    const stalls: number[] = [];
    const writer = new FrameWriter(socket, { maxBufferedBytes: 4_096, onStalled: (bytes) => stalls.push(bytes) });
    writer.write(Buffer.alloc(10));
    await turn();
    expect(stalls).toEqual([5_000]);
  });

  it('writes nothing after close or once the socket has ended', async () => {
    const { socket, writes } = fakeSocket();
    const writer = new FrameWriter(socket);
    socket.writableEnded = true;
    writer.write(Buffer.from([1]));
    await turn();
    expect(writes).toHaveLength(0);
    socket.writableEnded = false;
    writer.close();
    writer.write(Buffer.from([2]));
    await turn();
    expect(writes).toHaveLength(0);
  });
});
