import { describe, expect, it } from 'vitest'
import { isOnline, nodePresence, presence } from './presence.ts'

const now = 1_700_000_000_000
const ago = (s: number) => now / 1000 - s

describe('node presence', () => {
  it('counts a node seen in the last 60 s as online, idle or not', () => {
    expect(isOnline(ago(3), now)).toBe(true)
    expect(isOnline(ago(59), now)).toBe(true)
    expect(isOnline(ago(61), now)).toBe(false)
    expect(isOnline(null, now)).toBe(false)
  })

  it('says it in words', () => {
    expect(presence(ago(3), now)).toBe('online · seen just now')
    expect(presence(ago(600), now)).toBe('offline · seen 10 min ago')
    expect(presence(null, now)).toBe('never seen')
    expect(nodePresence({ last_seen: ago(3), registered: true }, now)).toBe('online · seen just now')
    expect(nodePresence({ last_seen: null, registered: true }, now)).toBe('registered, never seen here')
    expect(nodePresence({ last_seen: null, registered: false }, now)).toBe('not registered')
  })
})
