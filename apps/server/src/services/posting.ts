import { randomUUID } from 'node:crypto'
import { posterOfTaskId, taskOrderDomain, taskOrderTypes } from '@taskmarket/chain'
import {
  type ChallengeType,
  type CreateTaskBody,
  TaskMarketError,
  assertSchema,
  checkQuorumParams,
  ESCROW_DECIMALS,
  DEFAULT_DEADLINE_SECONDS,
  LEVEL1_STAKE_TOKENS,
  SETTLEMENT_GRACE_SECONDS,
  UNRUNNABLE_DEADLINE_SECONDS,
  deadlineProblem,
  equalShare,
  feeSchemeIdFor,
  manualTerms,
  MIN_COMPUTE_TRUST_LEVEL,
  requiredTrustLevel,
  requirementsOf,
  computeKinds,
  formatTokens,
  humanKinds,
  invalid,
  parseTokens,
  replicationFor,
  payloadSchemas,
} from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import { type Address, type Hex, getAddress, recoverTypedDataAddress } from 'viem'
import type { BlobStore } from './blobStore.ts'
import { allocateTaskId, awaitingRewards, recordTask } from '../operations/tasks/post.ts'
import type { Transactor } from '../operations/tx.ts'
import type { ChainService } from './chain.ts'
import { planJobs } from './jobPlanner.ts'
import { onlineNodes } from './presence.ts'

const ORDER_LIFETIME_SECONDS = 600

export type Poster = { address: Address; method: 'session' | 'api_key' }

/**
 * Posting a task: validate, plan its jobs, check the poster can pay, and record task, jobs and the
 * escrow order in one transaction. The task is offered to workers once the relayer has locked its
 * escrow on chain.
 */
export function createPosting({ db, transactor, chain, blobs, now = () => Date.now() }: { db: Database; transactor: Transactor; chain: ChainService; blobs: BlobStore; now?: () => number }) {
  const { escrow } = chain.contracts
  const domain = taskOrderDomain(chain.chain.id, escrow.address)
  const orderTypes = taskOrderTypes

  /** Checks everything about a task that does not need money; returns what the escrow needs. */
  async function validate(body: CreateTaskBody) {
    assertSchema(payloadSchemas[body.challenge_type], body.payload, 'payload')
    if (body.qualifications?.length && !humanKinds.includes(body.challenge_type)) throw invalid('qualifications', 'apply to manual tasks and polls; compute tasks use min_trust_level')
    const reward = parseTokens(body.reward, 'reward', ESCROW_DECIMALS)
    const nowSeconds = Math.floor(now() / 1000)
    const warnings = await availability(body.challenge_type)
    // A kind nobody can run now keeps its reward locked only briefly unless the poster chose a deadline.
    const deadline = body.deadline ?? nowSeconds + (warnings.length && !computeKinds.includes(body.challenge_type) ? UNRUNNABLE_DEADLINE_SECONDS : DEFAULT_DEADLINE_SECONDS)
    const problem = deadlineProblem(deadline, nowSeconds)
    if (problem) throw invalid('deadline', problem)
    const human = humanKinds.includes(body.challenge_type)
    // Human work takes exactly its assignments (or respondents): one person per slot, whatever replication says.
    if (human && body.replication) throw invalid('replication', `applies to compute tasks; a ${body.challenge_type} task takes one person per ${body.challenge_type === 'poll' ? 'respondent' : 'assignment'}`)
    if (!human && body.min_trust_level !== undefined && body.min_trust_level < MIN_COMPUTE_TRUST_LEVEL) {
      throw invalid('min_trust_level', `compute work needs nodes of at least level ${MIN_COMPUTE_TRUST_LEVEL} (${LEVEL1_STAKE_TOKENS} tokens staked)`)
    }
    if (body.requirements && !computeKinds.includes(body.challenge_type)) throw invalid('requirements', `apply to compute tasks; a ${body.challenge_type} task is for people (use qualifications)`)
    requirementsOf(body.requirements, 0) // refuses a malformed price before anything is recorded
    const replication = taskReplication(body)
    const jobs = await planJobs(body.challenge_type, body.payload, blobs)
    const feeScheme = feeSchemeIdFor(body.challenge_type)
    const minTrustLevel = human ? 0 : requiredTrustLevel(body.min_trust_level)
    return { warnings, reward, deadline, minTrustLevel, chainDeadline: deadline + reviewSeconds(body, reward) + SETTLEMENT_GRACE_SECONDS, replication, jobs, feeScheme }
  }

  /**
   * What a poster should know before workers pick a task up: no online node runs its kind (the stock
   * `taskmarket worker` runs hash, synthetic, wasm and rendering; nothing runs inference or training yet).
   */
  async function availability(kind: ChallengeType): Promise<string[]> {
    if (humanKinds.includes(kind) || (await onlineNodes(db, kind)) > 0) return []
    if (computeKinds.includes(kind)) return [`no online worker runs ${kind} jobs now; the task waits for one (start one with: taskmarket worker)`]
    return [`no online worker runs ${kind} jobs, and taskmarket worker does not run them yet; unless a node that does comes online, the task is refunded at its deadline (${UNRUNNABLE_DEADLINE_SECONDS / 60} minutes unless you set one)`]
  }

  /** What the poster must still be able to lock: on-chain balance minus tasks not yet locked. */
  async function ensureFunds(tx: Queryable, poster: Address, reward: bigint, viaAllowance: boolean) {
    const pending = await awaitingRewards(tx, poster)
    const balance = await chainRead(() => escrow.read.balanceOf([poster]))
    if (balance - pending < reward) {
      throw new TaskMarketError('PAYMENT_REQUIRED', `reward: ${formatTokens(reward)} is more than your available escrow balance of ${formatTokens(balance - pending)}; deposit tokens first`, {
        field: 'reward',
        details: { reason: 'exceeds the escrow balance', balance: formatTokens(balance), pending: formatTokens(pending) },
      })
    }
    if (viaAllowance) {
      const allowance = await chainRead(() => escrow.read.operatorAllowance([poster, chain.operator.address]))
      if (allowance - pending < reward) {
        throw new TaskMarketError('PAYMENT_REQUIRED', `reward: more than the allowance of ${formatTokens(allowance - pending)} you gave the operator for API posting; raise it with \`taskmarket wallet approve <amount>\` or on the web app's API keys page`, {
          field: 'reward',
          details: { reason: 'exceeds the operator allowance' },
        })
      }
    }
  }

  /** Returns the EIP-712 order a poster signs to post `body` from their wallet. */
  async function prepareOrder(poster: Address, body: CreateTaskBody) {
    const v = await validate(body)
    await ensureFunds(db, poster, v.reward, false)
    const { taskId, nonce } = await transactor.transact((tx) => allocateTaskId(tx, poster))
    const expiry = Math.floor(now() / 1000) + ORDER_LIFETIME_SECONDS
    const message = { taskId, amount: v.reward, deadline: v.chainDeadline, feeScheme: v.feeScheme, nonce, expiry }
    return {
      chain_task_id: taskId,
      nonce: nonce.toString(),
      expiry,
      /** The work deadline the order was made for; post the task with this same deadline. */
      deadline: v.deadline,
      typed_data: { domain, types: orderTypes, primaryType: 'TaskOrder' as const, message: { ...message, amount: message.amount.toString(), nonce: nonce.toString() } },
    }
  }

  /** Records a task. With `body.order` the poster's signature funds it; without, the operator allowance. */
  async function createTask(poster: Poster, body: CreateTaskBody) {
    const v = await validate(body)
    let order: { taskId: Hex; nonce: bigint; expiry: number; signature: Hex } | undefined
    if (body.order) {
      // Hex ids are compared as text in the database: one spelling only (an upper-cased copy of another task's id is that task).
      const taskId = body.order.chain_task_id.toLowerCase() as Hex
      if (posterOfTaskId(taskId) !== getAddress(poster.address)) throw invalid('order.chain_task_id', 'belongs to another poster')
      const message = { taskId, amount: v.reward, deadline: v.chainDeadline, feeScheme: v.feeScheme, nonce: BigInt(body.order.nonce), expiry: body.order.expiry }
      if (body.order.expiry < Math.floor(now() / 1000)) throw invalid('order.expiry', 'the order has expired; prepare a new one')
      const signer = await recoverTypedDataAddress({ domain, types: orderTypes, primaryType: 'TaskOrder', message, signature: body.order.signature as Hex }).catch(() => undefined)
      if (signer !== getAddress(poster.address)) throw invalid('order.signature', 'was not made by the poster over this task (reward, deadline and order must match the prepared one)')
      order = { taskId, nonce: message.nonce, expiry: message.expiry, signature: body.order.signature as Hex }
    }
    const id = randomUUID()
    const created = await transactor.transact(async (tx) => {
      await ensureFunds(tx, poster.address, v.reward, !order)
      return recordTask(tx, { id, poster: poster.address, body, planned: v, order })
    })
    return { task_id: id, status: 'pending' as const, created_at: Math.floor(new Date(created).getTime() / 1000), ...(v.warnings.length ? { warnings: v.warnings } : {}) }
  }

  return { prepareOrder, createTask, domain, orderTypes }
}

/** The replication a task posted with `body` gets (and its quote counts on), or a 400 naming the bad field. */
export function taskReplication(body: Pick<CreateTaskBody, 'challenge_type' | 'replication'>) {
  const replication = replicationFor(computeKinds.includes(body.challenge_type), body.replication)
  const bad = checkQuorumParams(replication)
  if (bad) throw invalid(`replication.${snake(bad.field)}`, bad.reason)
  return replication
}

/** Runs a chain read; an unreachable chain becomes a 503 the client can retry, not a 500. */
export async function chainRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch (cause) {
    throw new TaskMarketError('CHAIN_UNAVAILABLE', 'the chain did not answer; try again shortly', { cause })
  }
}


/**
 * Time after the lifetime during which human work may still be submitted and reviewed: a manual task's
 * last claim can be submitted up to its assignment duration later and approved automatically after its
 * review delay. Also checks what a human task's schema cannot: fields that depend on each other.
 */
function reviewSeconds(body: CreateTaskBody, reward: bigint): number {
  const p = body.payload as Record<string, any>
  if (body.challenge_type === 'manual') {
    if (p.proofs.includes('checklist') && !p.checklist) throw invalid('payload.checklist', 'is required when proofs include "checklist"')
    if (p.checklist && !p.proofs.includes('checklist')) throw invalid('payload.proofs', 'must include "checklist" when a checklist is given')
    if (p.proofs.includes('location') && !p.place) throw invalid('payload.place', 'is required when proofs include "location" (the stamp is checked against it)')
    const terms = manualTerms(p as never)
    if (equalShare(reward, terms.slots) === 0n) throw invalid('reward', `is too small to pay each of ${terms.slots} assignments at least 0.000000001`)
    return terms.assignmentSeconds + terms.autoApproveSeconds
  }
  if (body.challenge_type === 'poll') {
    const bad = (p.gold ?? []).findIndex((q: { answer: number; options: string[] }) => q.answer >= q.options.length)
    if (bad >= 0) throw invalid(`payload.gold.${bad}.answer`, 'must be the index of one of the question’s options')
    if (equalShare(reward, p.respondents) === 0n) throw invalid('reward', `is too small to pay each of ${p.respondents} respondents at least 0.000000001`)
  }
  return 0
}

function snake(s: string) {
  return s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)
}
