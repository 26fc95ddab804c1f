import { ErrorCode, RetryDecision, TidingsError } from '@tidings/core';
import { describe, expect, it } from 'vitest';
import type { Pdu } from '../pdu/pdu.js';
import { type PendingRequest, RequestWindow } from './request-window.js';

function pending(sequence: number, deadline = 1_000, windowed = true) {
  const outcome: { response?: Pdu; error?: TidingsError } = {};
  const request: PendingRequest = {
    sequence,
    command: 'submit_sm',
    deadline,
    windowed,
    written: false,
    abandoned: false,
    resolve: (response) => {
      outcome.response = response;
    },
    reject: (error) => {
      outcome.error = error;
    },
  };
  return { request, outcome };
}

const response = (sequence: number): Pdu => ({
  command: 'submit_sm_resp',
  command_status: 0,
  sequence_number: sequence,
  message_id: `id-${sequence}`,
});

const lost = new TidingsError(ErrorCode.ConnectionLost, 'closed', { retry: RetryDecision.retry() });

describe('RequestWindow', () => {
  it('grants slots up to the capacity, then queues callers in FIFO order', async () => {
    const window = new RequestWindow(2);
    await window.acquire();
    await window.acquire();
    expect(window.inFlight).toBe(2);
    const order: number[] = [];
    const third = window.acquire().then(() => order.push(3));
    const fourth = window.acquire().then(() => order.push(4));
    expect(window.waiting).toBe(2);
    const a = pending(1);
    window.add(a.request);
    window.complete(response(1));
    await third;
    expect(order).toEqual([3]);
    window.release();
    await fourth;
    expect(order).toEqual([3, 4]);
    expect(a.outcome.response?.sequence_number).toBe(1);
  });

  it('tryAcquire reserves a free slot at once, never ahead of a waiter, never after close', async () => {
    const window = new RequestWindow(1);
    expect(window.tryAcquire()).toBe(true);
    expect(window.inFlight).toBe(1);
    expect(window.tryAcquire()).toBe(false); // full
    const waiter = window.acquire();
    window.release();
    expect(window.tryAcquire()).toBe(false); // the waiter was first
    await waiter;
    window.release();
    expect(window.tryAcquire()).toBe(true);
    window.release();
    window.close(new TidingsError(ErrorCode.ConnectionLost, 'closed'));
    expect(window.tryAcquire()).toBe(false);
  });

  it('settles each request exactly once: a late response after a timeout is ignored', async () => {
    const window = new RequestWindow(1);
    await window.acquire();
    const a = pending(7, 100);
    window.add(a.request);
    expect(window.expire(50)).toBe(100);
    expect(a.outcome.error).toBeUndefined();
    window.expire(100);
    expect(a.outcome.error?.code).toBe(ErrorCode.Timeout);
    expect(a.outcome.error?.ambiguous).toBe(true);
    expect(window.inFlight).toBe(0);
    expect(window.complete(response(7))).toBe(false);
    expect(a.outcome.response).toBeUndefined();
  });

  it('on close fails written requests as ambiguous, unwritten ones and waiters as not ambiguous', async () => {
    const window = new RequestWindow(2);
    await window.acquire();
    await window.acquire();
    const written = pending(1);
    written.request.written = true;
    const unwritten = pending(2);
    window.add(written.request);
    window.add(unwritten.request);
    const waiter = window.acquire();
    window.close(lost);
    expect(written.outcome.error?.code).toBe(ErrorCode.ConnectionLost);
    expect(written.outcome.error?.ambiguous).toBe(true);
    expect(unwritten.outcome.error?.ambiguous).toBe(false);
    await expect(waiter).rejects.toMatchObject({ code: ErrorCode.ConnectionLost, ambiguous: false });
    await expect(window.acquire()).rejects.toMatchObject({ code: ErrorCode.ConnectionLost });
  });

  it('lets a waiting caller give up through its signal without losing its place to others', async () => {
    const window = new RequestWindow(1);
    await window.acquire();
    const controller = new AbortController();
    const gaveUp = window.acquire(controller.signal);
    const next = window.acquire();
    controller.abort(new Error('stop'));
    await expect(gaveUp).rejects.toThrow('stop');
    expect(window.waiting).toBe(1);
    window.release();
    await next;
    expect(window.inFlight).toBe(1);
  });

  it('keeps the slot of an abandoned request until the peer answers', async () => {
    const window = new RequestWindow(1);
    await window.acquire();
    const a = pending(3);
    a.request.abandoned = true;
    window.add(a.request);
    expect(window.hasFreeSlot).toBe(false);
    window.complete(response(3));
    expect(window.hasFreeSlot).toBe(true);
    expect(a.outcome.response).toBeUndefined();
  });
});
