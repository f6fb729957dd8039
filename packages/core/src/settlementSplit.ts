/** The escrow pays at most this many worker shares in one task settlement (TaskEscrow's MAX_SHARES). */
export const MAX_SHARES_PER_SETTLEMENT = 64

/** A worker's part of a task's payment: its weight (accepted jobs, or 1 per paid assignment). */
export type Share<A extends string = string> = { address: A; weight: number }
export type SettlementPart<A extends string = string> = { amount: bigint; shares: Share<A>[]; close: boolean }

/**
 * Splits a task's payment of `total` among `shares` into settlements the escrow accepts: at most
 * `maxShares` workers each, amounts in whole `unit`s in proportion to the weights of each part, the last
 * part taking the rounding rest and closing the task when `close`. Shares of weight 0 are left out (a worker
 * rejected by quorum is paid nothing and needs no slot). With no share, one part of `total` (which is then
 * usually 0: a close that returns the rest to the poster).
 * @example splitSettlement(10n, [{address:'a',weight:1},{address:'b',weight:1}], { unit: 1n, maxShares: 1 }) // 5 to a, then 5 to b closing
 */
export function splitSettlement<A extends string>(total: bigint, shares: readonly Share<A>[], { unit, maxShares = MAX_SHARES_PER_SETTLEMENT, close = true }: { unit: bigint; maxShares?: number; close?: boolean }): SettlementPart<A>[] {
  const paid = shares.filter((s) => s.weight > 0)
  if (paid.length <= maxShares) return [{ amount: total, shares: paid, close }]
  const totalWeight = paid.reduce((sum, s) => sum + BigInt(s.weight), 0n)
  const parts: SettlementPart<A>[] = []
  let left = total
  for (let i = 0; i < paid.length; i += maxShares) {
    const chunk = paid.slice(i, i + maxShares)
    const last = i + maxShares >= paid.length
    const weight = chunk.reduce((sum, s) => sum + BigInt(s.weight), 0n)
    const amount = last ? left : ((total / unit) * weight / totalWeight) * unit
    left -= amount
    parts.push({ amount, shares: chunk, close: close && last })
  }
  return parts
}
