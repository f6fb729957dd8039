import type { ChainEvent } from '@taskmarket/core'

/** A chain event as GET /wallet/history answers it (the indexer's row). */
export type { ChainEvent }

export type BalancePoint = { time: number; wallet: bigint; escrow: bigint }

/** Event amounts are base units as decimal strings (the indexer turns bigints into strings). */
const big = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? BigInt(v) : typeof v === 'number' ? BigInt(v) : 0n)
const same = (a: unknown, b: string) => typeof a === 'string' && a.toLowerCase() === b
const posterOf = (taskId: unknown) => (typeof taskId === 'string' ? `0x${taskId.slice(2, 42)}`.toLowerCase() : '')

/**
 * How one event changes `address`'s tokens: in the wallet (ERC-20 balance) and in the escrow (deposited +
 * locked in tasks). Deposits and withdrawals move tokens between the two; a settlement pays out of the
 * poster's escrow and credits the workers'; a refund only unlocks (no change in total escrow).
 */
export function balanceDelta(e: Pick<ChainEvent, 'event' | 'args' | 'contract'>, address: string): { wallet: bigint; escrow: bigint } {
  const me = address.toLowerCase()
  const a = e.args ?? {}
  let wallet = 0n
  let escrow = 0n
  switch (e.event) {
    case 'Transfer':
      if (same(a.to, me)) wallet += big(a.value)
      if (same(a.from, me)) wallet -= big(a.value)
      break
    case 'Deposited':
      if (same(a.account, me)) escrow += big(a.amount)
      break
    case 'Withdrawn':
      if (same(a.account, me)) escrow -= big(a.amount)
      break
    case 'TaskSettled':
      if (posterOf(a.taskId) === me) escrow -= big(a.amount ?? a.paid)
      break
    case 'BalanceCredited':
      if (same(a.account, me)) escrow += big(a.amount)
      break
  }
  return { wallet, escrow }
}

/**
 * The balance of `address` over time, from its on-chain history (any order). When `complete`, the history
 * goes back to the first event and the series is summed forward from zero; otherwise it is walked back
 * from `current`.
 * @example balanceSeries(events, me, { wallet: 100n, escrow: 0n }, true)
 */
export function balanceSeries(events: ChainEvent[], address: string, current: { wallet: bigint; escrow: bigint }, complete: boolean, now = Math.floor(Date.now() / 1000)): BalancePoint[] {
  const ordered = [...events].sort((x, y) => Number(BigInt(x.block_number) - BigInt(y.block_number)) || x.log_index - y.log_index)
  // An event whose block has no time yet is placed now.
  const deltas = ordered.map((e) => ({ time: e.time ?? now, ...balanceDelta(e, address) }))
  let wallet = complete ? 0n : current.wallet - deltas.reduce((s, d) => s + d.wallet, 0n)
  let escrow = complete ? 0n : current.escrow - deltas.reduce((s, d) => s + d.escrow, 0n)
  const points: BalancePoint[] = []
  if (deltas.length > 0) points.push({ time: deltas[0]!.time - 1, wallet, escrow })
  for (const d of deltas) {
    wallet += d.wallet
    escrow += d.escrow
    const last = points[points.length - 1]
    if (last && last.time === d.time) Object.assign(last, { wallet, escrow })
    else points.push({ time: d.time, wallet, escrow })
  }
  points.push({ time: Math.max(now, points[points.length - 1]?.time ?? now), wallet: complete ? wallet : current.wallet, escrow: complete ? escrow : current.escrow })
  return points
}
