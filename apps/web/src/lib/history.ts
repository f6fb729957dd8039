import type { ChainEvent } from './balanceSeries.ts'
import { formatAmount } from './format.ts'

/** One row of the wallet history: what happened in a transaction, in words. */
export type HistoryRow = {
  key: string
  /** Unix seconds of the block; null when the indexer has no time for it. */
  time: number | null
  block: string
  txHash: string
  title: string
  detail?: string
  /** Signed token amount for the row (base units); undefined when nothing is gained or spent. */
  amount?: bigint
  /** Tokens moved but not gained or spent (deposit, lock). */
  moved?: bigint
  event: string
}

const big = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : 0n)
const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase()
const MAX = 2n ** 255n
const tokens = (v: unknown) => `${formatAmount(big(v))} TASK`

/** Events that say more than the Transfer/Approval beside them in the same transaction. */
const noise = new Set(['Transfer', 'Approval', 'TaskResultsRecorded', 'BatchSettled', 'DelegateChanged', 'DelegateVotesChanged'])

/** Describes one event from `me`'s point of view, or undefined when it is not worth a row. */
export function describeEvent(e: ChainEvent, me: string): Omit<HistoryRow, 'key' | 'time' | 'block' | 'txHash' | 'event'> | undefined {
  const a = e.args ?? {}
  switch (e.event) {
    case 'FaucetDripped':
      return { title: 'Tokens from the faucet', amount: big(a.amount) }
    case 'TokensPurchased':
      return { title: 'Bought tokens', detail: `paid ${formatAmount(big(a.paid), 6)} ETH`, amount: big(a.amount) }
    case 'Deposited':
      return { title: 'Deposited to the escrow', detail: 'wallet → escrow balance', moved: big(a.amount) }
    case 'Withdrawn':
      return { title: 'Withdrew from the escrow', detail: 'escrow balance → wallet', moved: big(a.amount) }
    case 'TaskCreated':
      return { title: 'Reward locked for a task', detail: `task ${String(a.taskId).slice(0, 10)}…`, moved: big(a.amount) }
    case 'TaskSettled':
      return { title: 'Task settled: workers paid', detail: big(a.returned) ? `${tokens(a.returned)} returned` : `task ${String(a.taskId).slice(0, 10)}…`, amount: -big(a.amount ?? a.paid) }
    case 'TaskRefunded':
      return { title: 'Task refunded', detail: 'the reward is back in your escrow balance', moved: big(a.amount) }
    case 'BalanceCredited':
      return { title: 'Earned for verified work', detail: `batch ${String(a.batchId).slice(0, 10)}…`, amount: big(a.amount) }
    case 'OperatorApproved':
      return { title: 'API posting allowance set', detail: big(a.amount) >= MAX ? 'unlimited' : tokens(a.amount) }
    case 'Staked':
      return { title: 'Staked on a node', detail: `total stake ${tokens(a.totalStake)}`, moved: big(a.amount) }
    case 'UnstakeRequested':
      return { title: 'Unstake requested', moved: big(a.amount) }
    case 'StakeWithdrawn':
      return { title: 'Stake withdrawn', moved: big(a.amount) }
    case 'NodeSlashed':
      return { title: 'Node slashed', amount: -big(a.amount) }
    case 'NodeRegistered':
      return { title: 'Node registered' }
    case 'ChallengeIssued':
      return { title: 'Proof-of-work challenge issued' }
    case 'ChallengeSolved':
      return { title: 'Proof-of-work challenge passed', detail: `verified power ${a.verifiedPower ?? ''}` }
    case 'Transfer':
      if (same(a.to, me)) return { title: 'Received tokens', detail: `from ${String(a.from).slice(0, 10)}…`, amount: big(a.value) }
      if (same(a.from, me)) return { title: 'Sent tokens', detail: `to ${String(a.to).slice(0, 10)}…`, amount: -big(a.value) }
      return undefined
    case 'Approval':
      return { title: 'Approved a contract to take tokens', detail: big(a.value) >= MAX ? 'unlimited' : tokens(a.value) }
    default:
      return noise.has(e.event) ? undefined : { title: e.event }
  }
}

/**
 * History rows, newest first: per transaction, the specific events (a deposit, a faucet drip) hide the
 * plain Transfer/Approval events that came with them.
 */
export function historyRows(events: ChainEvent[], me: string): HistoryRow[] {
  const byTx = new Map<string, ChainEvent[]>()
  for (const e of events) byTx.set(e.tx_hash, [...(byTx.get(e.tx_hash) ?? []), e])
  const rows: HistoryRow[] = []
  for (const [tx, list] of byTx) {
    const specific = list.filter((e) => !noise.has(e.event))
    const shown = specific.length ? specific : list
    for (const e of shown) {
      const d = describeEvent(e, me)
      if (d) rows.push({ key: `${e.block_number}:${e.log_index}`, time: e.time, block: e.block_number, txHash: tx, event: e.event, ...d })
    }
  }
  return rows.sort((x, y) => Number(BigInt(y.block) - BigInt(x.block)) || y.key.localeCompare(x.key))
}
