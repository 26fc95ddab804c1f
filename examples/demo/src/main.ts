/**
 * `pnpm demo`: the Tidings demo in the terminal. Exits 0 only when every step ended as the story
 * expects, so CI runs it as a smoke test.
 */
import { wantsColor } from './render.js';
import { runDemo } from './run-demo.js';

const result = await runDemo({ out: process.stdout, color: wantsColor(process.stdout, process.env) });
process.exitCode = result.ok ? 0 : 1;
