import pc from 'picocolors';
import type { Palette } from './event-format.js';
import type { CliOutput } from './io.js';

/**
 * Colours only on a terminal, and never with NO_COLOR set (https://no-color.org); FORCE_COLOR
 * turns them on anyway.
 */
export function paletteFor(output: CliOutput, env: Readonly<Record<string, string | undefined>>): Palette {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const force = env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0';
  return pc.createColors(!noColor && (force || output.isTTY === true));
}
