import { describe, expect, it } from 'vitest';
import { main } from './main.js';

describe('custom-channel example', () => {
  it('sends a code, a flash SMS and a message to a phone that is off; reads a STOP reply', async () => {
    const lines: string[] = [];
    const result = await main({ write: (line) => lines.push(line) });

    expect(Object.fromEntries(Object.entries(result.outcomes).map(([ref, end]) => [ref, end.type]))).toEqual({
      login: 'delivered',
      flash: 'delivered',
      off: 'undelivered',
    });
    const flash = result.outcomes.flash;
    expect(flash?.type === 'delivered' && flash.report.extras?.priceMillicents).toBe(4500);
    const off = result.outcomes.off;
    expect(off?.type === 'undelivered' && off.report.extras?.reason).toBe('absent subscriber');
    expect(result.inbound.map((message) => [message.text, message.extras?.optOut])).toEqual([['STOP', true]]);
    expect(result.events.filter((event) => event.terminal)).toHaveLength(3);

    const text = lines.join('\n');
    expect(text).toMatch(/Acme SMSC simulator listening on 127\.0\.0\.1:\d+/);
    expect(text).toMatch(/login\s+delivered/);
    expect(text).toMatch(/off\s+undelivered\s+absent subscriber/);
    expect(text).toContain('inbound  from 4915187654321: "STOP" (opt-out)');
  });
});
