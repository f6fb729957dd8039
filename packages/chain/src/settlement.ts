import { type Hex, isHex } from 'viem'
import { ChainError } from './errors.ts'
import {
  NodeRecordsConstants,
  NodeRegistryConstants,
  SettlementCodecConstants,
  SlashReason,
  TaskEscrowConstants,
  TaskLanesConstants,
  TrustCodecConstants,
} from './generated/index.ts'

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

/** Refuses what is not an integer in [0, max]; `what` and `where` name it in the message. */
function checkInteger(what: string, value: number, max = MAX_UINT16, where = '') {
  if (!Number.isInteger(value) || value < 0 || value > max) throw invalid(`${what} ${value}${where} must be an integer in [0, ${max}]`)
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
      checkInteger(`${kind} account index`, s.account, MAX_UINT16, ` of task ${t.taskId}`)
      checkInteger(`${kind} weight`, s.weight, MAX_UINT16, ` of task ${t.taskId}`)
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

/** Why a settle batch slashes a node: a name of NodeRegistry's `SlashReason` (seed 003's slashing table). */
export type SlashReasonName = Exclude<keyof typeof SlashReason, 'None'>

/**
 * A slash in a settle batch: `account` indexes the batch's accounts; `amount` is in base units, or in basis
 * points of the node's stake (stake and unstaking queue) when `unit` is 'bps', at most MAX_SLASH_BPS. The
 * registry takes at most what the node holds; `ban` makes the node Rejected for good.
 */
export type SlashInput = {
  account: number
  reason: SlashReasonName
  amount: bigint
  unit: 'tokens' | 'bps'
  burn: boolean
  ban: boolean
}

/** A node's reputation in a settle batch: `account` indexes the batch's accounts; `bps` is 0 to BPS. */
export type ReputationInput = { account: number; bps: number }

/** Slashes one settle batch carries (NodeRegistry's MAX_BATCH_SLASHES). */
export const MAX_BATCH_SLASHES = Number(NodeRegistryConstants.MAX_BATCH_SLASHES)
/** The largest slash in basis points of a node's stake (NodeRegistry's MAX_SLASH_BPS). */
export const MAX_SLASH_BPS = NodeRegistryConstants.MAX_SLASH_BPS

const { ACCOUNT_SHIFT, REASON_SHIFT, IN_BPS_BIT, BURN_BIT, BAN_BIT, SLASH_BITS } = TrustCodecConstants
const { REPUTATION_SET_BIT, REPUTATIONS_PER_WORD, REPUTATION_BITS } = TrustCodecConstants
const PER_WORD = Number(REPUTATIONS_PER_WORD)
const REPUTATION_SET = 1n << REPUTATION_SET_BIT
const BPS = Number(NodeRecordsConstants.BPS)
const reasonNames = Object.keys(SlashReason) as (keyof typeof SlashReason)[]

/**
 * Packs a slash for `Batch.slashes` as `NodeRegistry.slashInBatch` reads it: the amount in bits 0..95, the
 * account in 96..111, the reason in 112..119, then the flags bps (120), burn (121) and ban (122).
 * @example
 * // 5% of the stake of the batch's account 2, who let a lease time out, to the treasury
 * encodeSlash({ account: 2, reason: 'TaskTimeout', amount: 500n, unit: 'bps', burn: false, ban: false })
 */
export function encodeSlash(s: SlashInput): bigint {
  checkInteger('slashed account index', s.account)
  const reason = SlashReason[s.reason]
  if (!reason) throw invalid(`slash reason ${s.reason} is not one of ${reasonNames.slice(1).join(', ')}`)
  const max = s.unit === 'bps' ? MAX_SLASH_BPS : MAX_AMOUNT
  if (s.amount <= 0n || s.amount > max) {
    throw invalid(`slash of account ${s.account} must be from 1 to ${max} ${s.unit === 'bps' ? 'bps' : 'base units'}, got ${s.amount}`)
  }
  return (
    s.amount |
    (BigInt(s.account) << ACCOUNT_SHIFT) |
    (BigInt(reason) << REASON_SHIFT) |
    (s.unit === 'bps' ? 1n << IN_BPS_BIT : 0n) |
    (s.burn ? 1n << BURN_BIT : 0n) |
    (s.ban ? 1n << BAN_BIT : 0n)
  )
}

/** The inverse of `encodeSlash`, refusing what NodeRegistry refuses (unknown bits or reason, no amount, too many bps). */
export function decodeSlash(word: bigint): SlashInput {
  if (word < 0n || word >> SLASH_BITS !== 0n) throw invalid(`slash ${word} sets unknown bits`)
  const bit = (n: bigint) => ((word >> n) & 1n) === 1n
  const reason = reasonNames[Number((word >> REASON_SHIFT) & 0xffn)]
  if (!reason || reason === 'None') throw invalid(`slash ${word} names no known reason`)
  const s: SlashInput = {
    account: Number((word >> ACCOUNT_SHIFT) & 0xffffn),
    reason,
    amount: word & MAX_AMOUNT,
    unit: bit(IN_BPS_BIT) ? 'bps' : 'tokens',
    burn: bit(BURN_BIT),
    ban: bit(BAN_BIT),
  }
  encodeSlash(s) // the same bounds both ways
  return s
}

/**
 * Packs reputations for `Batch.reputations` as `NodeRegistry.recordTaskResults` reads them: one 16-bit
 * entry per account of the batch (`accounts` of them), sixteen to a word, `0x8000 | bps` where a
 * reputation is set and zero elsewhere; no words at all when there is none.
 * @example encodeReputations([{ account: 1, bps: 9_800 }], 3) // [(0x8000n | 9_800n) << 16n]
 */
export function encodeReputations(reputations: readonly ReputationInput[], accounts: number): bigint[] {
  if (reputations.length === 0) return []
  checkInteger('account count', accounts, Number(TaskEscrowConstants.MAX_BATCH_ACCOUNTS))
  const words: bigint[] = Array.from({ length: Math.ceil(accounts / PER_WORD) }, () => 0n)
  const seen = new Set<number>()
  for (const r of reputations) {
    checkInteger('reputation account index', r.account, accounts - 1)
    checkInteger(`reputation of account ${r.account}`, r.bps, BPS)
    if (seen.has(r.account)) throw invalid(`account ${r.account} has two reputations`)
    seen.add(r.account)
    words[Math.floor(r.account / PER_WORD)]! |= (REPUTATION_SET | BigInt(r.bps)) << (BigInt(r.account % PER_WORD) * REPUTATION_BITS)
  }
  return words
}

/** The inverse of `encodeReputations` (by account), refusing what NodeRegistry refuses. */
export function decodeReputations(words: readonly bigint[], accounts: number): ReputationInput[] {
  if (words.length === 0) return []
  if (words.length !== Math.ceil(accounts / PER_WORD)) {
    throw invalid(`${words.length} reputation words for ${accounts} accounts; expected ${Math.ceil(accounts / PER_WORD)}`)
  }
  const out: ReputationInput[] = []
  for (let account = 0; account < words.length * PER_WORD; account++) {
    const entry = (words[Math.floor(account / PER_WORD)]! >> (BigInt(account % PER_WORD) * REPUTATION_BITS)) & 0xffffn
    if (entry === 0n) continue
    const bps = Number(entry & (REPUTATION_SET - 1n))
    if (account >= accounts || (entry & REPUTATION_SET) === 0n || bps > BPS) {
      throw invalid(`reputation entry ${entry} of account ${account} is not 0x8000 | bps with bps at most ${BPS}`)
    }
    out.push({ account, bps })
  }
  return out
}
