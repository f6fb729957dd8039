import type { ReactNode } from 'react'
import { SYMBOL, formatAmount } from '../lib/format.ts'

/** One figure of a `mini-stats` list (a node card's numbers): its label over its value. */
export function MiniStat({ label, title, children }: { label: string; title?: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd title={title}>{children}</dd>
    </div>
  )
}

/** A token amount, two decimals at most, with the token's symbol after it. */
export function Tokens({ value }: { value: string }) {
  return (
    <>
      {formatAmount(value, 2)} <small>{SYMBOL}</small>
    </>
  )
}
