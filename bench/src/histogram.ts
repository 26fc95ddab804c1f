/**
 * A latency histogram of fixed size, whatever the number of samples (a million latencies kept as
 * numbers would weigh on the peak RSS the bench reports). Microsecond buckets below 1 ms, then
 * buckets 1 % wide: a percentile is off by at most 1 %.
 */
export class LatencyHistogram {
  /** Below this many microseconds, one bucket per microsecond. */
  static readonly linearMicros = 1000;
  static readonly growth = 1.01;
  /** Buckets up to ~10 min; slower samples land in the last one. */
  static readonly bucketCount = LatencyHistogram.linearMicros + 1500;

  readonly #counts = new Float64Array(LatencyHistogram.bucketCount);
  #total = 0;
  #max = 0;

  get count(): number {
    return this.#total;
  }

  /** The largest sample, in ms. */
  get max(): number {
    return this.#max;
  }

  /** Adds one sample in milliseconds (negative ones count as 0). */
  record(ms: number): void {
    const micros = ms > 0 ? ms * 1000 : 0;
    const bucket = bucketOf(micros);
    this.#counts[bucket] = (this.#counts[bucket] as number) + 1;
    this.#total++;
    if (ms > this.#max) this.#max = ms;
  }

  /** The smallest bucket value (ms) with at least `p` (0..1) of the samples at or under it; NaN when empty. */
  percentile(p: number): number {
    if (this.#total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.#total));
    let seen = 0;
    for (let bucket = 0; bucket < this.#counts.length; bucket++) {
      seen += this.#counts[bucket] as number;
      if (seen >= rank) return Math.min(upperMicrosOf(bucket) / 1000, this.#max);
    }
    return this.#max;
  }
}

const logBase = Math.log(LatencyHistogram.growth);

function bucketOf(micros: number): number {
  if (micros < LatencyHistogram.linearMicros) return Math.floor(micros);
  const bucket = LatencyHistogram.linearMicros + Math.floor(Math.log(micros / LatencyHistogram.linearMicros) / logBase);
  return Math.min(bucket, LatencyHistogram.bucketCount - 1);
}

/** The largest value a bucket holds, in microseconds. */
function upperMicrosOf(bucket: number): number {
  if (bucket < LatencyHistogram.linearMicros) return bucket + 1;
  return LatencyHistogram.linearMicros * LatencyHistogram.growth ** (bucket - LatencyHistogram.linearMicros + 1);
}
