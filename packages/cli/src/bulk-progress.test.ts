import { describe, expect, it } from 'vitest';
import { type BulkCounts, bulkProgress } from './bulk-progress.js';
import { MemoryOutput } from './cli.test-helper.js';

const counts = (done: number): BulkCounts => ({
  total: 4,
  sent: done,
  accepted: done,
  delivered: done,
  failed: 0,
  invalid: 0,
  done,
});

describe('bulk progress', () => {
  it('on a terminal: no ETA until there is a rate ("ETA –" at 0 %)', () => {
    const stderr = new MemoryOutput(true);
    const progress = bulkProgress(stderr);
    progress.update(counts(0));
    expect(stderr.text).toMatch(/ 0% \| 0\/4 \|.*\| ETA –/);
    expect(stderr.text).not.toContain('ETA 0s');
    progress.stop(counts(4));
    expect(stderr.text).toMatch(/ 100% \| 4\/4 \|.*\| ETA 0s/);
  });

  it('off a terminal: plain lines, "ETA –" until there is a rate, report lines as they are', () => {
    const stderr = new MemoryOutput(false);
    const progress = bulkProgress(stderr);
    progress.log('line 2 (x): invalid');
    progress.stop(counts(0));
    expect(stderr.lines).toEqual([
      'line 2 (x): invalid',
      expect.stringMatching(/^progress 0\/4 \| sent 0 \| accepted 0 \| delivered 0 \| failed 0 \| 0\.0\/s \| ETA –$/),
    ]);
  });
});
