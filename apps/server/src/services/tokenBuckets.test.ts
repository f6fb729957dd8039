import { describe, expect, it } from 'vitest'
import { ipKey } from '../routes/rateLimitHook.ts'
import { createTokenBuckets } from './tokenBuckets.ts'

describe('token buckets', () => {
  it('allows a burst, then one request per refill, and says how long to wait', () => {
    let t = 0
    const buckets = createTokenBuckets({ perMinute: 60, burst: 3, now: () => t })
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0])
    expect(buckets.take('a')).toBe(1)
    expect(buckets.take('b')).toBe(0)
    t += 1000
    expect(buckets.waitFor('a')).toBe(0)
    expect(buckets.take('a')).toBe(0)
    expect(buckets.take('a')).toBe(1)
    t += 60_000
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0, 1])
  })

  it('keeps at most maxKeys keys, forgetting full buckets first', () => {
    let t = 0
    const buckets = createTokenBuckets({ perMinute: 60, burst: 2, now: () => t, maxKeys: 100 })
    for (let i = 0; i < 1000; i++) buckets.take(`k${i}`)
    expect(buckets.size).toBeLessThanOrEqual(100)
    buckets.take('busy')
    buckets.take('busy')
    t += 10
    for (let i = 0; i < 150; i++) buckets.take(`n${i}`)
    expect(buckets.size).toBeLessThanOrEqual(100)
  })
})

describe('ipKey', () => {
  it('keys IPv4 (also IPv4-mapped) by address and IPv6 by its /64', () => {
    expect(ipKey('127.0.0.1')).toBe('ip:127.0.0.1')
    expect(ipKey('::ffff:10.1.2.3')).toBe('ip:10.1.2.3')
    expect(ipKey('2001:db8:0:1::5')).toBe('ip:2001:db8:0:1::/64')
    expect(ipKey('2001:0db8:0000:0001:ffff:1:2:3')).toBe('ip:2001:db8:0:1::/64')
    expect(ipKey('::1')).toBe('ip:0:0:0:0::/64')
  })
})
