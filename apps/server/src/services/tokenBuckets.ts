/**
 * Token buckets per key: each key holds up to `burst` tokens, refilled at `perMinute`; a request takes one.
 * Kept in memory per server; at most `maxKeys` keys (full buckets go first, then the longest idle).
 * @example const b = createTokenBuckets({ perMinute: 600, burst: 20 }); if (b.take('ip:1.2.3.4') > 0) refuse()
 */
export function createTokenBuckets({ perMinute, burst, now = Date.now, maxKeys = 100_000 }: { perMinute: number; burst: number; now?: () => number; maxKeys?: number }) {
  const perMs = perMinute / 60_000
  const buckets = new Map<string, { tokens: number; at: number }>()

  function level(key: string, at: number) {
    const bucket = buckets.get(key)
    return bucket ? Math.min(burst, bucket.tokens + (at - bucket.at) * perMs) : burst
  }
  const wait = (tokens: number) => Math.max(1, Math.ceil((1 - tokens) / perMs / 1000))

  function prune(at: number) {
    for (const [key] of buckets) if (level(key, at) >= burst) buckets.delete(key)
    // Still full of busy keys (many addresses at once): forget the longest idle quarter.
    let drop = buckets.size - Math.floor(maxKeys * 0.75)
    for (const [key] of buckets) if (drop-- > 0) buckets.delete(key)
  }

  return {
    /** Takes a token for `key`: 0 when there was one, else the seconds until there is (nothing is taken). */
    take(key: string): number {
      const at = now()
      const tokens = level(key, at)
      if (tokens < 1) return wait(tokens)
      buckets.delete(key)
      buckets.set(key, { tokens: tokens - 1, at })
      if (buckets.size > maxKeys) prune(at)
      return 0
    },
    /** Seconds until `key` has a token again; 0 when it has one now. */
    waitFor(key: string): number {
      const tokens = level(key, now())
      return tokens < 1 ? wait(tokens) : 0
    },
    get size() {
      return buckets.size
    },
  }
}
