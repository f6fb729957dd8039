import { type ChallengeType, ESCROW_DECIMALS, type FeeScheme, equalShare, feeSchemeIdFor, feeSchemes, netPay, parseTokens, splitPayment } from '@taskmarket/core'

export type CostPreview = {
  reward: bigint
  scheme: FeeScheme
  schemeName: string
  /** What the accepted replicas share. */
  workers: bigint
  /** Each of `replicas` equal replicas (for a manual task: what the worker of one assignment gets). */
  perReplica: bigint
  /** A manual task's reward per assignment, before fees. */
  perAssignment?: bigint
  validators: bigint
  treasury: bigint
  burn: bigint
  /** What leaves the escrow balance now: the reward is locked; the fees come out of it. */
  total: bigint
}

/** The escrow's fee scheme of a kind, as the server picks it (core's feeSchemeIdFor), with its name. */
export function feeSchemeFor(kind: ChallengeType): { id: number; scheme: FeeScheme; name: string } {
  const id = feeSchemeIdFor(kind)
  const name = id === 1 ? 'Judged inference: 70% miner, 25% validators, 5% burned' : kind === 'manual' || kind === 'poll' ? 'Human work: 92% to the people, 8% treasury' : 'Compute: 92% workers, 8% treasury'
  return { id, scheme: feeSchemes[id]!, name }
}

/**
 * What posting costs and where the reward goes once the work is verified, exactly as the escrow splits
 * it; undefined while the reward is not a valid amount. `replicas` is the assignments of a manual task and
 * the respondents of a poll.
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
  if (kind === 'manual') {
    // Each approved assignment is settled on its own: its share of the reward, split 92/8.
    const each = perAssignmentUnits(reward, n)
    const split = splitPayment(each, scheme, [1])
    const worker = split.workers[0] ?? 0n
    return { reward: amount, scheme, schemeName: name, workers: worker * BigInt(n), perReplica: worker, perAssignment: each, validators: 0n, treasury: split.treasury * BigInt(n), burn: 0n, total: amount }
  }
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

/**
 * What each assignment of a manual task pays before fees: the reward split evenly, in whole nano-tokens
 * (the escrow's unit), as the server splits it; 0n when the reward is not a valid amount.
 * @example perAssignmentUnits('10', 3) // 3333333333000000000n
 */
export function perAssignmentUnits(reward: string, assignments: number): bigint {
  try {
    return equalShare(parseTokens(reward, 'reward', ESCROW_DECIMALS), Math.max(1, assignments))
  } catch {
    return 0n
  }
}

/**
 * What a manual task pays each worker: the assignment's share of the reward (`gross`), and that less the
 * treasury fee (`net`, what the worker gets).
 * @example manualPay('10', 2).net // 4600000000000000000n
 */
export function manualPay(reward: string, assignments: number): { gross: bigint; net: bigint } {
  const gross = perAssignmentUnits(reward, assignments)
  return { gross, net: netPay(gross) }
}
