import type { NodeSlash, NodeState, ReputationPoint } from '@taskmarket/core'

/** The badge colour of each of seed 003's node states (StatusBadge tones). */
export const NODE_STATE_TONE: Record<NodeState, string> = {
  Pending: 'neutral',
  Verified: 'info',
  Active: 'success',
  Earning: 'brand',
  Inactive: 'warn',
  Slashed: 'danger',
  Rejected: 'danger',
}

const SLASH_REASONS: Record<NodeSlash['reason'], string> = {
  TaskTimeout: 'Lease timed out',
  WrongResult: 'Result outvoted',
  Misuse: 'Misuse ruled in a dispute',
}

/** Why a node was slashed, in words. @example slashReason('WrongResult') // 'Result outvoted' */
export function slashReason(reason: NodeSlash['reason']): string {
  return SLASH_REASONS[reason] ?? reason
}

/** A trust level with its name. @example trustLevelLabel(1, 'Basic') // 'Level 1 · Basic' */
export function trustLevelLabel(level: number, name: string): string {
  return `Level ${level} · ${name}`
}

/** A reputation in basis points (0–10,000 on chain) as a percentage with one decimal. @example formatReputation(7250) // '72.5%' */
export function formatReputation(bps: number): string {
  return `${(bps / 100).toFixed(1)}%`
}

/** A node's reputation history as chart points: unix seconds against percent. */
export function reputationSeries(history: readonly ReputationPoint[]): { x: number; y: number }[] {
  return history.map((p) => ({ x: p.at, y: p.bps / 100 }))
}
