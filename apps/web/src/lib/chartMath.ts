/**
 * "Nice" axis ticks (1, 2, 2.5, 5 × 10^n) covering [min, max].
 * @example niceTicks(0, 87) // [0, 20, 40, 60, 80, 100]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  if (max < min) [min, max] = [max, min]
  if (max === min) {
    if (max === 0) return [0, 1]
    const pad = Math.abs(max) * 0.1
    min -= pad
    max += pad
  }
  const raw = (max - min) / Math.max(1, count)
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude
  const start = Math.floor(min / step) * step
  const ticks: number[] = []
  for (let v = start; v <= max + step * 0.5 && ticks.length < 50; v += step) ticks.push(Number(v.toFixed(10)))
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toFixed(10)))
  return ticks
}

/** A linear map from a domain to a range. */
export function linear([d0, d1]: [number, number], [r0, r1]: [number, number]) {
  const span = d1 - d0 || 1
  return (v: number) => r0 + ((v - d0) / span) * (r1 - r0)
}

/** Compact numbers for axes: 1.2k, 3.4M. */
export function compactNumber(v: number): string {
  const abs = Math.abs(v)
  if (abs >= 1e9) return `${trim(v / 1e9)}B`
  if (abs >= 1e6) return `${trim(v / 1e6)}M`
  if (abs >= 1e3) return `${trim(v / 1e3)}k`
  return trim(v)
}

function trim(v: number) {
  return Number(v.toFixed(Math.abs(v) < 10 ? 2 : 1)).toString()
}
