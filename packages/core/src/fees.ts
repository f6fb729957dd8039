import { ESCROW_DECIMALS, TOKEN_DECIMALS } from './money.ts'

/** A fee scheme as the escrow stores it: basis points summing to 10,000. */
export type FeeScheme = { workerBps: number; validatorBps: number; treasuryBps: number; burnBps: number }

export const BPS = 10_000n

/** The escrow's built-in schemes, by id (TaskEscrow's constructor). */
export const feeSchemes: readonly FeeScheme[] = [
  { workerBps: 9_200, validatorBps: 0, treasuryBps: 800, burnBps: 0 }, // compute and human work (seed 003)
  { workerBps: 7_000, validatorBps: 2_500, treasuryBps: 0, burnBps: 500 }, // judged inference (seed 004)
  { workerBps: 2_500, validatorBps: 1_000, treasuryBps: 500, burnBps: 6_000 }, // seed 001's preset
]

export type Payout = {
  workers: bigint[]
  validators: bigint[]
  treasury: bigint
  burn: bigint
}

/**
 * Splits `amount` exactly as TaskEscrow.settle does: worker pool by weight, validators by weight (their
 * share goes to the workers when there are none), burn, and the treasury takes the rest (rounding dust).
 * @example splitPayment(100n, feeSchemes[0], [1, 1, 0], []) // workers [46n, 46n, 0n], treasury 8n
 */
export function splitPayment(
  amount: bigint,
  scheme: FeeScheme,
  workerWeights: readonly number[],
  validatorWeights: readonly number[] = [],
): Payout {
  let workerPool = (amount * BigInt(scheme.workerBps)) / BPS
  let validatorPool = (amount * BigInt(scheme.validatorBps)) / BPS
  const burn = (amount * BigInt(scheme.burnBps)) / BPS
  if (validatorWeights.length === 0) {
    workerPool += validatorPool
    validatorPool = 0n
  }
  const workers = distribute(workerPool, workerWeights)
  const validators = distribute(validatorPool, validatorWeights)
  const paid = [...workers, ...validators].reduce((a, b) => a + b, 0n)
  return { workers, validators, treasury: amount - paid - burn, burn }
}

function distribute(pool: bigint, weights: readonly number[]): bigint[] {
  const total = weights.reduce((a, b) => a + BigInt(b), 0n)
  if (total === 0n || pool === 0n) return weights.map(() => 0n)
  return weights.map((w) => (pool * BigInt(w)) / total)
}

/** The fee scheme the server picks for a kind: judged inference (1), everything else (0). */
export function feeSchemeIdFor(kind: string): number {
  return kind === 'inference' ? 1 : 0
}

/**
 * An equal share of `total` for each of `n`, in whole escrow units (the escrow counts in 10^-ESCROW_DECIMALS
 * tokens; the rest goes back to the poster at close); 0n for no one.
 * @example equalShare(10n * 10n ** 18n, 3) // 3333333333000000000n
 */
export function equalShare(total: bigint, n: number): bigint {
  const unit = 10n ** BigInt(TOKEN_DECIMALS - ESCROW_DECIMALS)
  return n > 0 ? (total / unit / BigInt(n)) * unit : 0n
}

/**
 * What one worker receives of a gross payment made to it alone under `scheme` (human work: 92%).
 * @example netPay(100n) // 92n
 */
export function netPay(gross: bigint, scheme: FeeScheme = feeSchemes[0]!): bigint {
  return splitPayment(gross, scheme, [1]).workers[0]!
}
