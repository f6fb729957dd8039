/** A seeded source of uniform numbers in [0, 1): the simulation's only randomness. */
export type Random = () => number

/**
 * mulberry32: a 32-bit state PRNG, fast and good enough for a simulation (not for keys).
 * @example const rng = mulberry32(1); rng() // 0.6270739405881613
 */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A whole number in [0, n). */
export function randomInt(rng: Random, n: number): number {
  return Math.floor(rng() * n)
}

/** One element of a non-empty list. */
export function pick<T>(rng: Random, items: readonly T[]): T {
  return items[randomInt(rng, items.length)]!
}

/** A number uniform in [min, max). */
export function between(rng: Random, min: number, max: number): number {
  return min + (max - min) * rng()
}

/** Shuffles a list in place (Fisher–Yates) and returns it. */
export function shuffle<T>(rng: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1)
    ;[items[i], items[j]] = [items[j]!, items[i]!]
  }
  return items
}
