import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NODE_STATES, NODE_STATE_PARAMS, NODE_TRANSITIONS, type NodeFacts, canMoveNode, mayTakeWork, nodeState } from './nodeState.ts'

const token = 10n ** 18n
const now = 1_000_000_000
const working: NodeFacts = { registered: true, stake: 100n * token, powPasses: 1, powFailures: 0, lastHeartbeatAt: now, leases: 0, slashed: false, banned: false }

describe('node states', () => {
  it('derives each of seed 003’s states from plain facts', () => {
    expect(nodeState({ ...working, registered: false }, now)).toBe('Pending')
    expect(nodeState({ ...working, powPasses: 0 }, now)).toBe('Pending')
    expect(nodeState({ ...working, stake: 99n * token }, now)).toBe('Inactive')
    expect(nodeState({ ...working, stake: 99n * token, powPasses: 0 }, now)).toBe('Pending')
    expect(nodeState({ ...working, lastHeartbeatAt: undefined }, now)).toBe('Verified')
    expect(nodeState(working, now)).toBe('Active')
    expect(nodeState({ ...working, leases: 3 }, now)).toBe('Earning')
    expect(nodeState({ ...working, leases: 3 }, now + NODE_STATE_PARAMS.heartbeatTimeoutMs + 1)).toBe('Inactive')
    expect(nodeState({ ...working, slashed: true }, now)).toBe('Slashed')
    expect(nodeState({ ...working, banned: true }, now)).toBe('Rejected')
    expect(nodeState({ ...working, powPasses: 0, powFailures: 3 }, now)).toBe('Rejected')
    expect(NODE_STATES.filter(mayTakeWork)).toEqual(['Active', 'Earning'])
  })

  it('follows seed 003’s diagram forward, and a PoW pass clears a verification rejection but not a ban', () => {
    const failedVerification = { ...working, powPasses: 0, powFailures: 3 }
    expect(nodeState({ ...failedVerification, powPasses: 1 }, now)).toBe('Active')
    expect(nodeState({ ...failedVerification, powPasses: 1, banned: true }, now)).toBe('Rejected')
    for (const [from, to] of [['Pending', 'Verified'], ['Verified', 'Active'], ['Active', 'Earning'], ['Verified', 'Rejected'], ['Active', 'Inactive'], ['Inactive', 'Slashed']] as const) expect(canMoveNode(from, to)).toBe(true)
    expect(canMoveNode('Active', 'Verified')).toBe(false)
    expect(canMoveNode('Rejected', 'Active')).toBe(true)
  })

  it('moves only along NODE_TRANSITIONS when one fact changes', () => {
    const facts = fc.record({
      registered: fc.boolean(),
      stake: fc.constantFrom(0n, 50n * token, 100n * token, 5_000n * token),
      powPasses: fc.nat(3),
      powFailures: fc.nat(4),
      lastHeartbeatAt: fc.option(fc.constantFrom(now, now - 10 * 60_000), { nil: undefined }),
      leases: fc.nat(2),
      slashed: fc.boolean(),
      banned: fc.boolean(),
    })
    const change = fc.oneof(
      fc.record({ registered: fc.constant(true) }),
      fc.record({ stake: fc.constantFrom(0n, 100n * token, 5_000n * token) }),
      fc.record({ powPasses: fc.nat(3) }),
      fc.record({ powFailures: fc.nat(4) }),
      fc.record({ lastHeartbeatAt: fc.constant(now) }),
      fc.record({ leases: fc.nat(3) }),
      fc.record({ slashed: fc.boolean() }),
      fc.record({ banned: fc.constant(true) }),
    )
    fc.assert(
      fc.property(facts, change, (before, delta) => {
        // The PoW record only grows, and a ban is never lifted.
        const after = { ...before, ...delta, powPasses: Math.max(before.powPasses, (delta as Partial<NodeFacts>).powPasses ?? 0), powFailures: Math.max(before.powFailures, (delta as Partial<NodeFacts>).powFailures ?? 0), banned: before.banned || ((delta as Partial<NodeFacts>).banned ?? false) }
        expect(canMoveNode(nodeState(before, now), nodeState(after, now))).toBe(true)
        if (before.banned) expect(nodeState(after, now)).toBe('Rejected')
      }),
    )
  })
})
