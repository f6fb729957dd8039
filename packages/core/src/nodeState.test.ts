import { describe, expect, it } from 'vitest'
import { NODE_STATES, NODE_STATE_PARAMS, NODE_TRANSITIONS, type NodeFacts, agreesWithChain, canMoveNode, mayTakeWork, nodeFacts, nodeState } from './nodeState.ts'

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

  it('moves only along NODE_TRANSITIONS when one fact changes, over every combination of facts and changes', () => {
    // Every value each fact's rule distinguishes, and every change one event makes: checked exhaustively
    // (2,304 nodes × 13 changes), so no random draw can miss a move the table lacks.
    const stakes = [0n, 50n * token, 100n * token, 5_000n * token]
    const changes: Partial<NodeFacts>[] = [
      { registered: true }, ...stakes.map((stake) => ({ stake })), { powPasses: 3 }, { powFailures: 4 },
      { lastHeartbeatAt: now }, { leases: 0 }, { leases: 3 }, { slashed: true }, { slashed: false }, { banned: true },
    ]
    let checked = 0
    for (const registered of [false, true]) for (const stake of stakes) for (const powPasses of [0, 1, 3]) for (const powFailures of [0, 2, 3, 4])
      for (const lastHeartbeatAt of [undefined, now, now - 10 * 60_000]) for (const leases of [0, 2]) for (const slashed of [false, true]) for (const banned of [false, true]) {
        const before: NodeFacts = { registered, stake, powPasses, powFailures, lastHeartbeatAt, leases, slashed, banned }
        for (const delta of changes) {
          // The PoW record only grows, and a ban is never lifted.
          const after = { ...before, ...delta, powPasses: Math.max(powPasses, delta.powPasses ?? 0), powFailures: Math.max(powFailures, delta.powFailures ?? 0), banned: banned || (delta.banned ?? false) }
          const [from, to] = [nodeState(before, now), nodeState(after, now)]
          if (!canMoveNode(from, to)) expect.fail(`${from} → ${to} after ${JSON.stringify(delta, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}`)
          if (banned) expect(to).toBe('Rejected')
          checked++
        }
      }
    expect(checked).toBe(2 * 4 * 3 * 4 * 3 * 2 * 2 * 2 * changes.length)
  })
})

describe('the market’s node state and the registry’s', () => {
  const chain = { registered: true, stake: NODE_STATE_PARAMS.minStake * 4n, powPasses: 1, powFailures: 0, banned: false, slashed: true }
  const market = { lastHeartbeatAt: 1_000, leases: 0, underReview: false }
  it('counts a slash as Slashed only while it leaves the stake below the minimum, or while under review', () => {
    expect(nodeState(nodeFacts(chain, market), 1_000)).toBe('Active')
    expect(nodeState(nodeFacts({ ...chain, stake: NODE_STATE_PARAMS.minStake - 1n }, market), 1_000)).toBe('Slashed')
    expect(nodeState(nodeFacts({ ...chain, slashed: false }, { ...market, underReview: true }), 1_000)).toBe('Slashed')
  })

  it('agrees with the registry where it knows, and refines only its Verified and Earning', () => {
    expect(agreesWithChain('Pending', 'None')).toBe(true)
    expect(agreesWithChain('Earning', 'Verified')).toBe(true)
    expect(agreesWithChain('Inactive', 'Earning')).toBe(true)
    expect(agreesWithChain('Active', 'Pending')).toBe(false)
    expect(agreesWithChain('Slashed', 'Inactive')).toBe(false)
    expect(agreesWithChain('Rejected', 'Rejected')).toBe(true)
  })
})
