import { describe, expect, it } from 'vitest'
import { type WaitingTask, waitingFor } from './presence.ts'

const TOKEN = 10n ** 18n
const now = new Date('2030-01-01T00:00:00Z')
/** A locked 2-of-3 rendering task of 4 jobs paying 8 tokens: each lease pays 1 token. */
const task = (o: Partial<WaitingTask> = {}): WaitingTask => ({ kind: 'rendering', status: 'pending', escrow_state: 'locked', min_quorum: 2, reward: (8n * TOKEN).toString(), jobs_total: 4, offered_to: null, offer_until: null, ...o })

describe('why a task waits', () => {
  it('says the escrow is not locked yet, or how many workers it needs and how many are online', () => {
    expect(waitingFor(task({ escrow_state: 'awaiting' }), [], now)?.reason).toBe('waiting for the reward to be locked in escrow on chain')
    expect(waitingFor(task(), [100n * TOKEN], now)).toEqual({ reason: 'needs 2 distinct workers running rendering jobs; 1 online (start one with: taskmarket worker)', workers_needed: 2, workers_online: 1 })
    expect(waitingFor(task(), [100n * TOKEN, 100n * TOKEN], now)).toBeNull()
    expect(waitingFor(task({ status: 'completed' }), [], now)).toBeNull()
  })

  it('says when too few online nodes stake enough for one of its leases (a node not yet seen claiming counts as able)', () => {
    const rich = task({ reward: (808n * TOKEN).toString() })
    expect(waitingFor(rich, [100n * TOKEN, 100n * TOKEN, 500n * TOKEN], now)).toEqual({
      reason: 'needs 2 distinct workers staking enough for a lease paying 101 tokens (a lease puts at least its pay at risk); 1 of the 3 online do',
      workers_needed: 2,
      workers_online: 3,
    })
    expect(waitingFor(rich, [100n * TOKEN, null, 500n * TOKEN], now)).toBeNull()
  })

  it('says a new task is offered to its best-ranked nodes first, until when', () => {
    const offered = task({ offered_to: ['0xa', '0xb'], offer_until: new Date(now.getTime() + 10_000) })
    expect(waitingFor(offered, [100n * TOKEN, 100n * TOKEN, 100n * TOKEN], now)?.reason).toBe(
      'offered first to its 2 best-ranked online nodes (price, reputation, uptime, verified power) until 2030-01-01T00:00:10.000Z, then to every node',
    )
    expect(waitingFor(offered, [100n * TOKEN, 100n * TOKEN], new Date(now.getTime() + 10_000))).toBeNull()
    expect(waitingFor({ ...offered, status: 'in_progress' }, [100n * TOKEN, 100n * TOKEN], now)).toBeNull()
  })
})
