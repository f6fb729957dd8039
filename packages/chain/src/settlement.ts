import { type Hex, isHex } from 'viem'
import { ChainError } from './errors.ts'
import { SettlementCodecConstants, TaskEscrowConstants, TaskLanesConstants } from './generated/index.ts'

/** Escrowed amounts are whole multiples of this many base units (a nano-token); TaskEscrow refuses others. */
export const AMOUNT_UNIT = TaskLanesConstants.AMOUNT_UNIT

/** A worker's or validator's part of a task: `account` indexes the batch's accounts; weight 0 = rejected. */
export type ShareInput = { account: number; weight: number }

/**
 * One task of a settle batch, as the relayer thinks of it. `amount` is in base units; TaskEscrow refuses one
 * that is not a multiple of AMOUNT_UNIT (TaskEscrowAmountNotAligned), a check left to the contract so that a
 * simulation of the batch names the task.
 */
export type TaskSettlementInput = {
  taskId: Hex
  amount: bigint
  close: boolean
  workers: ShareInput[]
  validators: ShareInput[]
}

/** One task of a settle batch as TaskEscrow's `settle` takes it (its `TaskSettlement` struct). */
export type EncodedTaskSettlement = { taskId: Hex; terms: bigint; shares: bigint[] }

const MAX_AMOUNT = (1n << 96n) - 1n
const CLOSE = 1n << 96n
const { WORKERS_SHIFT, VALIDATORS_SHIFT } = SettlementCodecConstants
const KNOWN_BITS = MAX_AMOUNT | CLOSE | (0xffffn << WORKERS_SHIFT)
/** Worker (and validator) shares TaskEscrow takes per task and settlement. */
export const MAX_SHARES = Number(TaskEscrowConstants.MAX_SHARES)
const MAX_UINT16 = 0xffff

function invalid(message: string): ChainError {
  return new ChainError('INVALID_SETTLEMENT', message)
}

function checkTaskId(taskId: Hex) {
  if (!isHex(taskId) || taskId.length !== 66) throw invalid(`task id must be 32 bytes of hex, got ${taskId}`)
}

/**
 * Packs a task's settlement for `TaskEscrow.settle`: the amount, close flag and share counts into `terms`,
 * the shares (workers then validators) eight to a 256-bit word as `(account << 16) | weight`.
 * @example
 * const worker = { account: 0, weight: 1 } // accounts[0] of the batch, one accepted job
 * encodeTaskSettlement({ taskId, amount: 10n ** 18n, close: true, workers: [worker], validators: [] })
 */
export function encodeTaskSettlement(t: TaskSettlementInput): EncodedTaskSettlement {
  checkTaskId(t.taskId)
  if (t.amount < 0n || t.amount > MAX_AMOUNT) {
    throw invalid(`amount ${t.amount} of task ${t.taskId} must fit in 96 bits`)
  }
  for (const [kind, shares] of [
    ['worker', t.workers],
    ['validator', t.validators],
  ] as const) {
    if (shares.length > MAX_SHARES) {
      throw invalid(`task ${t.taskId} has ${shares.length} ${kind} shares; at most ${MAX_SHARES} fit`)
    }
    for (const s of shares) {
      if (!Number.isInteger(s.account) || s.account < 0 || s.account > MAX_UINT16) {
        throw invalid(`${kind} account index ${s.account} of task ${t.taskId} must be an integer in [0, 65535]`)
      }
      if (!Number.isInteger(s.weight) || s.weight < 0 || s.weight > MAX_UINT16) {
        throw invalid(`${kind} weight ${s.weight} of task ${t.taskId} must be an integer in [0, 65535]`)
      }
    }
  }
  const all = [...t.workers, ...t.validators]
  const shares: bigint[] = Array.from({ length: Math.ceil(all.length / 8) }, () => 0n)
  for (const [k, s] of all.entries()) {
    shares[k >> 3] |= ((BigInt(s.account) << 16n) | BigInt(s.weight)) << BigInt((k & 7) * 32)
  }
  const terms =
    t.amount |
    (t.close ? CLOSE : 0n) |
    (BigInt(t.workers.length) << WORKERS_SHIFT) |
    (BigInt(t.validators.length) << VALIDATORS_SHIFT)
  return { taskId: t.taskId, terms, shares }
}

/**
 * The inverse of `encodeTaskSettlement`, with the same checks TaskEscrow makes on the encoding (unknown bits
 * of `terms`, the number of share words, unused share bits); throws INVALID_SETTLEMENT otherwise.
 */
export function decodeTaskSettlement(s: {
  taskId: Hex
  terms: bigint
  shares: readonly bigint[]
}): TaskSettlementInput {
  checkTaskId(s.taskId)
  if (s.terms < 0n || (s.terms & ~KNOWN_BITS) !== 0n) throw invalid(`terms of task ${s.taskId} set unknown bits`)
  const workerCount = Number((s.terms >> WORKERS_SHIFT) & 0xffn)
  const validatorCount = Number((s.terms >> VALIDATORS_SHIFT) & 0xffn)
  const count = workerCount + validatorCount
  if (s.shares.length !== Math.ceil(count / 8)) {
    throw invalid(`task ${s.taskId} has ${count} shares in ${s.shares.length} words; expected ${Math.ceil(count / 8)}`)
  }
  for (const word of s.shares) {
    if (word < 0n || word >> 256n !== 0n) throw invalid(`a share word of task ${s.taskId} is not a uint256`)
  }
  if (count % 8 !== 0 && s.shares[s.shares.length - 1]! >> BigInt((count % 8) * 32) !== 0n) {
    throw invalid(`unused share bits of task ${s.taskId} are not zero`)
  }
  const share = (k: number): ShareInput => {
    const bits = (s.shares[k >> 3]! >> BigInt((k & 7) * 32)) & 0xffffffffn
    return { account: Number(bits >> 16n), weight: Number(bits & 0xffffn) }
  }
  return {
    taskId: s.taskId,
    amount: s.terms & MAX_AMOUNT,
    close: (s.terms & CLOSE) !== 0n,
    workers: Array.from({ length: workerCount }, (_, k) => share(k)),
    validators: Array.from({ length: validatorCount }, (_, k) => share(workerCount + k)),
  }
}
