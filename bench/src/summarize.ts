export type Summary = { n: number; mean: number; p50: number; p99: number; max: number }

/** Count, mean, median, 99th percentile (nearest rank) and maximum of some samples. */
export function summarize(samples: number[]): Summary {
  if (samples.length === 0) return { n: 0, mean: Number.NaN, p50: Number.NaN, p99: Number.NaN, max: Number.NaN }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
  return { n: sorted.length, mean: sorted.reduce((s, x) => s + x, 0) / sorted.length, p50: rank(0.5), p99: rank(0.99), max: sorted.at(-1)! }
}
