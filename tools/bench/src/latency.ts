/** Latency distribution of one run, in milliseconds. */
export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

/**
 * Nearest-rank percentiles over every sample: runs are at most a few tens of thousands of
 * operations, so keeping them all is cheap and nothing is lost to histogram buckets.
 */
export class Latencies {
  private readonly samples: number[] = [];

  add(ms: number): void {
    this.samples.push(ms);
  }

  summary(): LatencySummary {
    const sorted = [...this.samples].sort((a, b) => a - b);
    const n = sorted.length;
    const at = (q: number): number => (n === 0 ? NaN : sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]);
    const mean = n === 0 ? NaN : sorted.reduce((sum, x) => sum + x, 0) / n;
    return { count: n, mean, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: n === 0 ? NaN : sorted[n - 1] };
  }
}
