/** Summary statistics shared by the benchmarks. Every figure is in the unit its caller states. */

/** Nearest-rank percentile of an ascending array (`fraction` from 0 to 1); NaN when empty. */
export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[index] as number;
}

export function sortAscending(values: readonly number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

export function median(values: readonly number[]): number {
  const sorted = sortAscending(values);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Median of p50 and p95 (and p99) over one set of samples. */
export function latencySummary(samples: readonly number[]): { count: number; p50: number; p95: number; p99: number } {
  const sorted = sortAscending(samples);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

/** A figure measured once per repetition: its median over the repetitions and the range. */
export interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function toFigure(values: readonly number[]): Figure {
  const finite = values.filter((value) => Number.isFinite(value));
  const sorted = sortAscending(finite);
  return {
    median: median(sorted),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
    runs: sorted.length,
  };
}

/** Round to `digits` decimals, for printing. */
export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** `12.3 (11.9–13.0)`: the median with the range over the repetitions. */
export function formatFigure(figure: Figure, digits = 1): string {
  if (!Number.isFinite(figure.median)) return "n/a";
  const median = round(figure.median, digits);
  if (figure.runs < 2) return `${median}`;
  return `${median} (${round(figure.min, digits)}–${round(figure.max, digits)})`;
}
