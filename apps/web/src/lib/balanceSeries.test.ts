import { describe, expect, it } from 'vitest'
import { type ChainEvent, balanceSeries } from './balanceSeries.ts'
import { historyRows } from './history.ts'

const me = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const escrow = '0x9fe46736679d2d9a65f0992f2272de9f3c7fa6e0'
const zero = '0x0000000000000000000000000000000000000000'
const E = 10n ** 18n
const taskId = `${me}000000000000000000000000`
let n = 0
const ev = (block: number, event: string, args: Record<string, string>, tx = `0x${String(block).padStart(64, '0')}`): ChainEvent => ({ block_number: String(block), log_index: n++, tx_hash: tx, contract: 'x', event, args, time: 1000 + block * 10 })

// A poster's life: faucet 1000, approve + deposit 100, lock 10 for a task, the task settles paying 10.
const events: ChainEvent[] = [
  ev(1, 'Transfer', { from: zero, to: me, value: String(1000n * E) }, '0xa1'),
  ev(1, 'FaucetDripped', { recipient: me, amount: String(1000n * E) }, '0xa1'),
  ev(2, 'Approval', { owner: me, spender: escrow, value: String(100n * E) }, '0xa2'),
  ev(3, 'Transfer', { from: me, to: escrow, value: String(100n * E) }, '0xa3'),
  ev(3, 'Deposited', { account: me, from: me, amount: String(100n * E) }, '0xa3'),
  ev(4, 'TaskCreated', { taskId, amount: String(10n * E), deadline: '1', feeScheme: '0' }, '0xa4'),
  ev(5, 'TaskSettled', { taskId, amount: String(10n * E), returned: '0' }, '0xa5'),
]

describe('balance over time', () => {
  it('sums the history forward from zero when it is complete', () => {
    const points = balanceSeries(events, me, { wallet: 0n, escrow: 0n }, true, 2000)
    expect(points.map((p) => [p.time, p.wallet / E, p.escrow / E])).toEqual([
      [1009, 0n, 0n],
      [1010, 1000n, 0n],
      [1020, 1000n, 0n],
      [1030, 900n, 100n],
      [1040, 900n, 100n],
      [1050, 900n, 90n],
      [2000, 900n, 90n],
    ])
  })

  it('walks back from the current balances when the history is cut short', () => {
    const recent = events.slice(3) // no faucet in view
    const points = balanceSeries(recent, me, { wallet: 900n * E, escrow: 90n * E }, false, 2000)
    expect(points[0]).toMatchObject({ wallet: 1000n * E, escrow: 0n })
    expect(points[points.length - 1]).toMatchObject({ wallet: 900n * E, escrow: 90n * E })
  })

  it('credits a worker for verified work', () => {
    const points = balanceSeries([ev(9, 'BalanceCredited', { batchId: `0x${'1'.repeat(64)}`, account: me, amount: String(92n * E / 10n) })], me, { wallet: 0n, escrow: 0n }, true, 5000)
    expect(points[points.length - 1]!.escrow).toBe((92n * E) / 10n)
  })
})

describe('history rows', () => {
  it('describes each transaction once, hiding the transfers behind a deposit or a faucet drip', () => {
    const rows = historyRows(events, me)
    expect(rows.map((r) => [r.event, r.title])).toEqual([
      ['TaskSettled', 'Task settled: workers paid'],
      ['TaskCreated', 'Reward locked for a task'],
      ['Deposited', 'Deposited to the escrow'],
      ['Approval', 'Approved a contract to take tokens'],
      ['FaucetDripped', 'Tokens from the faucet'],
    ])
    expect(rows[0]!.amount).toBe(-10n * E)
    expect(rows[4]!.amount).toBe(1000n * E)
    expect(rows[2]!.moved).toBe(100n * E)
  })
})
