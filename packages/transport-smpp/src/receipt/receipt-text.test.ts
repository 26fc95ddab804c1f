import { describe, expect, it } from 'vitest';
import { formatReceiptText, parseReceiptDate, parseReceiptText } from './receipt-text.js';

const appendixB =
  'id:1234567890 sub:001 dlvrd:001 submit date:2611221530 done date:2611221531 stat:DELIVRD err:000 text:Hello world';

describe('parseReceiptText', () => {
  it('reads the Appendix B layout', () => {
    expect(parseReceiptText(appendixB)).toEqual({
      id: '1234567890',
      sub: '001',
      dlvrd: '001',
      submitDate: '2611221530',
      doneDate: '2611221531',
      stat: 'DELIVRD',
      err: '000',
      text: 'Hello world',
      extra: {},
    });
  });

  it('takes labels in any case and upper-cases stat', () => {
    const fields = parseReceiptText('ID:abc SUB:001 Submit Date:2611221530 DONE DATE:261122153012 Stat:undeliv Text:x');
    expect(fields).toMatchObject({
      id: 'abc',
      sub: '001',
      submitDate: '2611221530',
      doneDate: '261122153012',
      stat: 'UNDELIV',
      text: 'x',
    });
  });

  it('lets text: take the rest of the line, colons included, and stop at the line end', () => {
    const fields = parseReceiptText('id:1 stat:DELIVRD text:code: 12:34 stat:FAKE\r\nnext line');
    expect(fields?.text).toBe('code: 12:34 stat:FAKE');
    expect(fields?.stat).toBe('DELIVRD');
  });

  it('accepts any order, missing fields and keeps unknown fields in extra', () => {
    const fields = parseReceiptText('stat:EXPIRED mcc:262 id:77 Network:T-Mobile err:');
    expect(fields).toEqual({ id: '77', stat: 'EXPIRED', extra: { mcc: '262', network: 'T-Mobile' } });
  });

  it('reads a value written after a space and a trailing NUL', () => {
    expect(parseReceiptText('id: 42 stat: DELIVRD\0')).toMatchObject({ id: '42', stat: 'DELIVRD' });
  });

  it('accepts submit_date spelt with an underscore', () => {
    expect(parseReceiptText('id:1 submit_date:2611221530 done_date:2611221531')).toMatchObject({
      submitDate: '2611221530',
      doneDate: '2611221531',
    });
  });

  it('keeps a __proto__ label as data', () => {
    const fields = parseReceiptText('id:1 __proto__:x');
    const protoLabel = '__proto__';
    expect(fields?.extra[protoLabel]).toBe('x');
    expect(Object.getOwnPropertyNames(fields?.extra)).toEqual([protoLabel]);
  });

  it('returns undefined without id: and stat:', () => {
    expect(parseReceiptText('Hello, your code is 1234')).toBeUndefined();
    expect(parseReceiptText('sub:001 dlvrd:001 err:000 text:id:1')).toBeUndefined();
    expect(parseReceiptText('')).toBeUndefined();
  });

  it('finds a receipt with only stat:', () => {
    expect(parseReceiptText('stat:REJECTD err:045')).toMatchObject({ stat: 'REJECTD', err: '045' });
  });
});

describe('parseReceiptDate', () => {
  it('reads YYMMDDhhmm and YYMMDDhhmmss as UTC by default', () => {
    expect(parseReceiptDate('2611221530')).toBe(Date.UTC(2026, 10, 22, 15, 30));
    expect(parseReceiptDate('261122153045')).toBe(Date.UTC(2026, 10, 22, 15, 30, 45));
    expect(parseReceiptDate('0001010000')).toBe(Date.UTC(2000, 0, 1));
    expect(parseReceiptDate('9912312359')).toBe(Date.UTC(2099, 11, 31, 23, 59));
  });

  it('applies the SMSC offset from UTC', () => {
    expect(parseReceiptDate('2611221530', 120)).toBe(Date.UTC(2026, 10, 22, 13, 30));
    expect(parseReceiptDate('2611221530', -300)).toBe(Date.UTC(2026, 10, 22, 20, 30));
  });

  it('refuses other lengths, non-digits and impossible dates', () => {
    for (const bad of [
      '26112215',
      '26112215301',
      '2611221530456',
      '26112215x0',
      '2613221530',
      '2602301530',
      '2611222430',
    ]) {
      expect(parseReceiptDate(bad), bad).toBeUndefined();
    }
  });
});

describe('formatReceiptText', () => {
  const submitDate = Date.UTC(2026, 10, 22, 15, 30, 5);
  const doneDate = new Date(Date.UTC(2026, 10, 22, 15, 31, 9));

  it('writes the Appendix B layout', () => {
    expect(formatReceiptText({ id: '1234567890', submitDate, doneDate, stat: 'DELIVRD', text: 'Hello world' })).toBe(
      appendixB,
    );
  });

  it('writes dlvrd:000 for a failure and pads numeric err', () => {
    expect(formatReceiptText({ id: '9', submitDate, doneDate, stat: 'UNDELIV', err: 5 })).toBe(
      'id:9 sub:001 dlvrd:000 submit date:2611221530 done date:2611221531 stat:UNDELIV err:005 text:',
    );
  });

  it('writes the variants: seconds, Text:, omitted fields, string err, an offset', () => {
    const text = formatReceiptText(
      { id: 'A1', sub: 2, dlvrd: 2, submitDate, doneDate, stat: 'DELIVRD', err: 'E1', text: 'hi' },
      { seconds: true, textLabel: 'Text', omit: ['sub', 'doneDate'], utcOffsetMinutes: 60 },
    );
    expect(text).toBe('id:A1 dlvrd:002 submit date:261122163005 stat:DELIVRD err:E1 Text:hi');
  });

  it('round-trips through parseReceiptText', () => {
    const text = formatReceiptText(
      { id: 'ff00', submitDate, doneDate, stat: 'EXPIRED', err: 27, text: 'a:b c' },
      { seconds: true },
    );
    const fields = parseReceiptText(text);
    expect(fields).toMatchObject({ id: 'ff00', stat: 'EXPIRED', err: '027', text: 'a:b c' });
    expect(parseReceiptDate(fields?.submitDate ?? '')).toBe(submitDate);
    expect(parseReceiptDate(fields?.doneDate ?? '')).toBe(doneDate.getTime());
  });
});
