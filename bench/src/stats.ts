/** The median of some numbers (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = finite.length >> 1;
  return finite.length % 2 === 1
    ? (finite[middle] as number)
    : ((finite[middle - 1] as number) + (finite[middle] as number)) / 2;
}

/** A ratio from paired runs: each round's ratio, their median, and the range. */
export interface PairedRatio {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: readonly number[];
}

/**
 * `candidate[i] / baseline[i]` for each round i, where both ran back to back under the same load
 * (the machine is shared: a slow minute slows both sides of a pair alike).
 */
export function pairedRatio(candidate: readonly number[], baseline: readonly number[]): PairedRatio {
  if (candidate.length !== baseline.length) {
    throw new Error(`paired runs need as many rounds on both sides (${candidate.length} vs ${baseline.length})`);
  }
  const rounds = candidate.map((value, i) => value / (baseline[i] as number));
  const finite = rounds.filter((value) => Number.isFinite(value));
  return {
    median: median(finite),
    min: finite.length === 0 ? Number.NaN : Math.min(...finite),
    max: finite.length === 0 ? Number.NaN : Math.max(...finite),
    rounds,
  };
}
