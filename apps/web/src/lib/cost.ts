import { type ChallengeType, ESCROW_DECIMALS, type FeeScheme, feeSchemes, parseTokens, splitPayment } from '@taskmarket/core'

export type CostPreview = {
  reward: bigint
  scheme: FeeScheme
  schemeName: string
  /** What the accepted replicas share. */
  workers: bigint
  /** Each of `replicas` equal replicas. */
  perReplica: bigint
  validators: bigint
  treasury: bigint
  burn: bigint
  /** What leaves the escrow balance now: the reward is locked; the fees come out of it. */
  total: bigint
}

/** The escrow's fee scheme of a kind, as the server picks it (judged inference vs everything else). */
export function feeSchemeFor(kind: ChallengeType): { id: number; scheme: FeeScheme; name: string } {
  if (kind === 'inference') return { id: 1, scheme: feeSchemes[1]!, name: 'Judged inference: 70% miner, 25% validators, 5% burned' }
  return { id: 0, scheme: feeSchemes[0]!, name: 'Compute: 92% workers, 8% treasury' }
}

/**
 * What posting costs and where the reward goes once the work is verified, exactly as the escrow splits
 * it; undefined while the reward is not a valid amount.
 * @example costPreview('10', 'rendering', 3)?.perReplica // 3066666666666666666n
 */
export function costPreview(reward: string, kind: ChallengeType, replicas: number): CostPreview | undefined {
  let amount: bigint
  try {
    amount = parseTokens(reward, 'reward', ESCROW_DECIMALS)
  } catch {
    return undefined
  }
  const n = Number.isInteger(replicas) && replicas > 0 ? replicas : 1
  const { scheme, name } = feeSchemeFor(kind)
  // Validators are only drawn for judged kinds; without them their share goes to the workers.
  const validatorWeights = kind === 'inference' ? [1] : []
  const split = splitPayment(amount, scheme, Array(n).fill(1), validatorWeights)
  const workers = split.workers.reduce((a, b) => a + b, 0n)
  return {
    reward: amount,
    scheme,
    schemeName: name,
    workers,
    perReplica: split.workers[0] ?? 0n,
    validators: split.validators.reduce((a, b) => a + b, 0n),
    treasury: split.treasury,
    burn: split.burn,
    total: amount,
  }
}
