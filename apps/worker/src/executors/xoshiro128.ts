const mask64 = (1n << 64n) - 1n

/**
 * SplitMix64 (Steele, Lea & Flood 2014; Vigna's reference `splitmix64.c`): the 64-bit outputs that
 * follow `seed`. Used only to expand a seed into generator state, as the xoshiro authors recommend.
 */
export function splitmix64(seed: bigint): () => bigint {
  let state = BigInt.asUintN(64, seed)
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & mask64
    let z = state
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask64
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask64
    return z ^ (z >> 31n)
  }
}

/**
 * xoshiro128** 1.1 (Blackman & Vigna 2018, reference `xoshiro128starstar.c`): a generator of uint32.
 * State: s0 = low 32 bits and s1 = high 32 bits of the first splitmix64(seed) output, s2 and s3 the
 * same of the second (never all zero, since splitmix64 is a bijection of distinct states).
 * @example const next = xoshiro128ss(0x1234n); next() // a uint32
 */
export function xoshiro128ss(seed: bigint): () => number {
  const expand = splitmix64(seed)
  const first = expand()
  const second = expand()
  let s0 = Number(first & 0xffffffffn) | 0
  let s1 = Number(first >> 32n) | 0
  let s2 = Number(second & 0xffffffffn) | 0
  let s3 = Number(second >> 32n) | 0
  return () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k))
}
