import { randomUUID } from 'node:crypto'
import { type AdaptiveParams, type EscrowState, type Lease, type QuorumParams, type Qualification, type SubmitWorkBody, type TaskState, jobChainId, replicationFor, resultSeal } from '@taskmarket/core'
import { type Database, type Row, createTestDatabase } from '@taskmarket/db'
import { type Address, type Hex, getAddress, keccak256, toHex } from 'viem'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { OUTBOX_COLUMNS, type OutboxItem, type OutboxKind, decode } from '../outbox/items.ts'
import { createEligibility } from '../services/eligibility.ts'
import { type MarketEvent, createEventBus } from '../services/events.ts'
import { openJobs } from './jobs/activate.ts'
import { claimJobs } from './jobs/claim.ts'
import { type SubmittedResult, submitResults } from './jobs/submit.ts'
import { claimSlot } from './manual/claim.ts'
import { submitWork } from './manual/submit.ts'
import { castVote } from './polls/vote.ts'
import type { Finalize } from './tasks/settle.ts'
import { createTransactor } from './tx.ts'

/**
 * One in-memory market for the operation tests of a file: a real PGlite, a transactor on a clock the test
 * moves, the real event bus and eligibility (its only chain read, the trust level, fails and counts as 0).
 * `useTestMarket()` opens it once per file and empties it before each test.
 */

/** Where the market's clock stands at the start of every test. */
export const START = Date.parse('2030-01-01T00:00:00Z')
export const LEASE_SECONDS = 60
/** One token, in wei: the default reward. */
export const TOKEN = 10n ** 18n
/** A deliverable builder that builds nothing (tests of settlement see what it adds). */
export const finalize: Finalize = async () => ({})

/** A distinct checksummed address per number. */
export const address = (n: number): Address => getAddress(`0x${n.toString(16).padStart(40, '0')}`)
export const POSTER = address(0xf00d)
/** An id no row has. */
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000'
/** A distinct 32-byte digest per label. */
export const digest = (label: string | number): Hex => keccak256(toHex(`output ${label}`))

export type TaskOptions = {
  kind?: string
  jobs?: number
  replication?: Partial<QuorumParams>
  leaseCap?: number
  /** The deadline, in seconds after the clock's time. */
  lifetimeSeconds?: number
  payload?: Record<string, unknown>
  reward?: bigint
  escrow?: EscrowState
  status?: TaskState
  poster?: Address
  minTrustLevel?: number
  qualifications?: Qualification[]
  /** Open the jobs as a locked escrow does (default when the escrow is locked). */
  open?: boolean
}

export type TestTask = { id: string; chainTaskId: Hex; jobs: { id: string; chainJobId: Hex }[] }

export type ManualOptions = Omit<TaskOptions, 'kind' | 'jobs' | 'payload'> & {
  slots?: number
  proofs?: string[]
  place?: { latitude: number; longitude: number; radius_m: number }
  checklist?: string[]
  assignmentMinutes?: number
  autoApproveHours?: number
}

export type PollOptions = Omit<TaskOptions, 'kind' | 'jobs' | 'payload'> & {
  respondents?: number
  options?: string[]
  gold?: { question: string; options: string[]; answer: number }[]
  rewardRule?: 'majority' | 'all'
  selection?: 'open' | 'random'
}

export async function createTestMarket() {
  const db: Database = await createTestDatabase()
  let now = START
  const clock = {
    now: () => now,
    set: (ms: number) => void (now = ms),
    advance: (seconds: number) => void (now += seconds * 1000),
  }
  const events = createEventBus()
  const { run, transact, once } = createTransactor({ db, events, clock: clock.now })
  const chain = { contracts: { registry: { read: { trustLevel: () => Promise.reject(new Error('no chain in this test')) } } } }
  const eligibility = createEligibility({ chain: chain as never, now: clock.now })
  let listening: (() => void)[] = []

  async function task(o: TaskOptions = {}): Promise<TestTask> {
    const id = randomUUID()
    const chainTaskId = keccak256(toHex(id))
    const kind = o.kind ?? 'synthetic'
    const r = { ...replicationFor(kind !== 'manual' && kind !== 'poll'), ...o.replication }
    const escrow = o.escrow ?? 'locked'
    const jobs = Array.from({ length: o.jobs ?? 1 }, (_, i) => ({ id: randomUUID(), chainJobId: jobChainId(chainTaskId, i) }))
    await db.query(
      `INSERT INTO tasks (id, chain_task_id, poster, kind, payload, reward, fee_scheme, status, escrow_state, funding, deadline,
         min_quorum, target_results, max_error_results, max_total_results, min_trust_level, jobs_total, lease_cap, qualifications)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, 'allowance', $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
      [id, chainTaskId, o.poster ?? POSTER, kind, JSON.stringify(o.payload ?? {}), (o.reward ?? TOKEN).toString(), o.status ?? 'pending', escrow,
        new Date(now + (o.lifetimeSeconds ?? 3600) * 1000), r.minQuorum, r.targetResults, r.maxErrorResults, r.maxTotalResults, o.minTrustLevel ?? 0,
        jobs.length, o.leaseCap ?? 16, o.qualifications ? JSON.stringify(o.qualifications) : null],
    )
    await db.query(
      `INSERT INTO jobs (id, chain_job_id, task_id, index, payload, wanted)
       SELECT x.id, x.chain_job_id, $1, x.i - 1, jsonb_build_object('index', x.i - 1), 0 FROM unnest($2::uuid[], $3::text[]) WITH ORDINALITY AS x(id, chain_job_id, i)`,
      [id, jobs.map((j) => j.id), jobs.map((j) => j.chainJobId)],
    )
    if (o.open ?? escrow === 'locked') await run(openJobs, { taskId: id })
    return { id, chainTaskId, jobs }
  }

  const manualTask = ({ slots = 1, proofs = ['text'], place, checklist, assignmentMinutes, autoApproveHours, ...o }: ManualOptions = {}) =>
    task({
      ...o,
      kind: 'manual',
      jobs: slots,
      payload: { title: 'Photograph the sign', description: 'A clear photo', proofs, assignments: slots, place, checklist, assignment_minutes: assignmentMinutes, auto_approve_hours: autoApproveHours },
    })

  const pollTask = ({ respondents = 3, options = ['Blue', 'Green'], gold, rewardRule, selection, ...o }: PollOptions = {}) =>
    task({ ...o, kind: 'poll', jobs: respondents, payload: { title: 'Which reads better?', options, respondents, gold, reward_rule: rewardRule, selection } })

  const one = async <T extends Row>(sql: string, id: string) => (await db.query<T>(sql, [id]))[0]!

  return {
    db,
    clock,
    events,
    eligibility,
    run,
    transact,
    once,
    task,
    manualTask,
    pollTask,
    /** The events published on `topic` from now on, as they arrive. */
    heard(topic: string): MarketEvent[] {
      const heard: MarketEvent[] = []
      listening.push(events.subscribe(topic, (e) => heard.push(e)))
      return heard
    },
    taskRow: (id: string) => one<Row>('SELECT * FROM tasks WHERE id = $1', id),
    jobRow: (id: string) => one<Row>('SELECT * FROM jobs WHERE id = $1', id),
    assignmentRow: (id: string) => one<Row>('SELECT * FROM assignments WHERE id = $1', id),
    /** The outbox rows of a task (of one kind when given), in the order they were queued. */
    async outbox<K extends OutboxKind>(taskId: string, kind?: K): Promise<OutboxItem<K>[]> {
      const rows = await db.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE payload->>'task_id' = $1 AND ($2::text IS NULL OR kind = $2) ORDER BY outbox.id`, [taskId, kind ?? null])
      return rows.map(decode) as OutboxItem<K>[]
    },
    /** Inserts `worker`'s replica of a task's job as it stands after a decision (or any other status). */
    replica: (task: TestTask, index: number, worker: Address, status: string, result: Hex | null = null) =>
      db.query(`INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at, digest) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        randomUUID(), task.jobs[index]!.id, task.id, worker, status, new Date(now), result,
      ]),
    profile: (who: Address, fields: Record<string, unknown> = {}, sensitive?: Record<string, unknown>) =>
      db.query('INSERT INTO profiles (address, public, sensitive) VALUES ($1, $2, $3)', [who, JSON.stringify(fields), sensitive ? JSON.stringify(sensitive) : null]),
    block: (poster: Address, worker: Address) => db.query('INSERT INTO blocks (poster, worker) VALUES ($1, $2)', [poster, worker]),
    /** A compute node's claim, as the worker gateway makes it. */
    claim: (worker: Address, { kinds = ['synthetic'], max = 1, trustLevel = 0, leaseSeconds = LEASE_SECONDS, maxLeasesPerNode = 256, stake = undefined as bigint | undefined, verifiedPower = undefined as bigint | undefined, adaptive = undefined as AdaptiveParams | undefined, random = undefined as (() => number) | undefined } = {}) =>
      run(claimJobs, { worker, kinds, max, trustLevel, leaseSeconds, maxLeasesPerNode, stake, verifiedPower, adaptive, random }),
    /** A result with the seal `worker` makes for it. */
    sealed: (worker: Address, lease: Lease, result: Hex): SubmittedResult => ({
      assignment_id: lease.assignment_id,
      digest: result,
      seal: resultSeal(worker, lease.chain_task_id as Hex, lease.chain_job_id as Hex, result),
    }),
    submit: (worker: Address, results: SubmittedResult[], fin: Finalize = finalize, adaptive?: AdaptiveParams) => run(submitResults, { worker, results, finalize: fin, adaptive }),
    claimSlot: (worker: Address, taskId: string) => run(claimSlot, { worker, taskId, eligibility }),
    /** Claims a slot of a manual task and submits `body` for it; returns the assignment id. */
    async submitted(worker: Address, taskId: string, body: SubmitWorkBody = { text: 'done' }) {
      const assignmentId = await run(claimSlot, { worker, taskId, eligibility })
      await run(submitWork, { worker, assignmentId, body })
      return assignmentId
    },
    vote: (voter: Address, taskId: string, option: number, gold?: number[]) => run(castVote, { voter, taskId, option, gold, eligibility }),
    /** Empties the market and puts the clock back to START. */
    async reset() {
      for (const stop of listening) stop()
      listening = []
      now = START
      await db.query('TRUNCATE tasks, jobs, assignments, node_slashes, node_runs, node_reviews, nodes, chain_events, outbox, profiles, blocks, poll_votes, poll_invites, accounts')
    },
    close: () => db.close(),
  }
}

export type TestMarket = Awaited<ReturnType<typeof createTestMarket>>

/** The file's market: opened before its first test, emptied before each, closed after the last. */
export function useTestMarket(): TestMarket {
  const market = {} as TestMarket
  beforeAll(async () => {
    Object.assign(market, await createTestMarket())
  })
  beforeEach(() => market.reset())
  afterAll(() => market.close?.())
  return market
}
