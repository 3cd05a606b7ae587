/** Per-call latency: median and 99th percentile of many timed calls, after a warm-up. */

export const CALLS = 5_000;

export interface Latency {
  median: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

/** Microseconds per call over `calls` timed calls. */
export async function measure(call: () => unknown, calls = CALLS): Promise<Latency> {
  for (let i = 0; i < 200; i++) await call();
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = process.hrtime.bigint();
    await call();
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

export function latencyCell(m: Latency, width = 20): string {
  return `${m.median.toFixed(1)} / ${m.p99.toFixed(1)}`.padStart(width);
}
