import { describe, expect, it } from 'vitest';
import { longText, longUcs2Text } from './step-long-text.js';

describe('the long-text step says what it sends', () => {
  it('counts characters as characters and UCS2 units as units (the emoji is two units, one character)', () => {
    const characters = [...longText].length;
    expect(characters).toBeLessThan(longText.length);
    expect(longUcs2Text.intro).toMatch(new RegExp(`^${characters} characters .*\\(${longText.length} UCS2 units`));
  });
});
