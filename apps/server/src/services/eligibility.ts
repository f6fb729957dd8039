import { type Descriptors, type Qualification, TaskMarketError, qualifies } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import { approvedManualWork, tasksTaken } from '../repositories/assignments.ts'
import { postersBlocking } from '../repositories/blocks.ts'
import { invitedTo } from '../repositories/pollInvites.ts'
import { ownProfile } from '../repositories/profiles.ts'
import { type GatedTaskRow, restrictedTasks } from '../repositories/tasks.ts'
import type { ChainService } from './chain.ts'

/** The parts of a task row that decide who may see and take it. */
export type GatedTask = GatedTaskRow

/** How many of the newest restricted tasks `visibleRestricted` considers. */
const RESTRICTED_CONSIDERED = 2000

/**
 * Who may see and take a task: the poster's blocks, the task's qualifications (on profile descriptors,
 * the opted-in sensitive ones, age, trust level and approved work) and, for a poll drawn at random, the
 * invitation. Sensitive descriptors are only ever compared here; no answer reveals their values.
 */
export function createEligibility({ chain, now = () => Date.now() }: { chain: ChainService; now?: () => number }) {
  async function descriptorsOf(q: Queryable, address: string): Promise<Descriptors> {
    const profile = await ownProfile(q, getAddress(address))
    const approved = await approvedManualWork(q, getAddress(address))
    const trust = await chain.contracts.registry.read.trustLevel([address as Address]).then(Number, () => 0)
    const sensitive: Record<string, any> = profile?.sensitive ?? {}
    const birth = typeof sensitive.date_of_birth === 'string' ? new Date(sensitive.date_of_birth) : undefined
    return {
      ...profile?.public,
      ...sensitive,
      ...(birth ? { age: ageOn(birth, new Date(now())) } : {}),
      trust_level: trust,
      tasks_approved: approved,
    }
  }

  /** What decides whether `address` may take the given tasks, read once for all of them. */
  async function standing(q: Queryable, address: string, taskIds: string[]) {
    const me = getAddress(address)
    let descriptors: Promise<Descriptors> | undefined
    return {
      me,
      blockedBy: new Set(await postersBlocking(q, me)),
      invited: new Set(await invitedTo(q, { address: me, taskIds })),
      took: new Set(await tasksTaken(q, { worker: me, taskIds })),
      /** Read (with its chain call) only when a task has qualifications, and then once. */
      descriptors: () => (descriptors ??= descriptorsOf(q, me)),
    }
  }
  type Standing = Awaited<ReturnType<typeof standing>>

  /** Why `s` may not take `task`, or undefined when they may. */
  async function obstacle(task: GatedTask, s: Standing): Promise<string | undefined> {
    if (getAddress(task.poster) === s.me) return 'you cannot take your own task'
    if (s.blockedBy.has(task.poster)) return 'the poster does not take work from you'
    if (task.kind === 'poll' && task.payload.selection === 'random' && !s.invited.has(task.id)) return 'this poll asks only the people drawn at random for it'
    if (!task.qualifications?.length) return undefined
    const mine = await s.descriptors()
    const missed = task.qualifications.find((r) => !qualifies(mine, [r]))
    return missed ? `you do not meet this task's requirement ${describe(missed)}` : undefined
  }

  /** A restricted task is seen by its poster, by whoever already took it, and by whoever may take it. */
  async function seesRestricted(task: GatedTask, s: Standing) {
    return getAddress(task.poster) === s.me || s.took.has(task.id) || !(await obstacle(task, s))
  }

  /** Throws a 403 naming the first requirement `address` does not meet. */
  async function assertMayTake(q: Queryable, task: GatedTask, address: string) {
    const reason = await obstacle(task, await standing(q, address, [task.id]))
    if (reason) throw forbidden(reason)
  }

  async function mayTake(q: Queryable, task: GatedTask, address: string): Promise<boolean> {
    return !(await obstacle(task, await standing(q, address, [task.id])))
  }

  /** Whether `viewer` may see a task: unrestricted tasks are public; restricted ones only as `seesRestricted` says. */
  async function maySee(q: Queryable, task: GatedTask, viewer: string | undefined): Promise<boolean> {
    if (!restricted(task)) return true
    return viewer !== undefined && seesRestricted(task, await standing(q, viewer, [task.id]))
  }

  /** Ids of the restricted tasks `viewer` may see (the newest 2,000 restricted tasks are considered). */
  async function visibleRestricted(q: Queryable, viewer: string | undefined): Promise<string[]> {
    if (!viewer) return []
    const rows = await restrictedTasks(q, RESTRICTED_CONSIDERED)
    if (rows.length === 0) return []
    const s = await standing(q, viewer, rows.map((t) => t.id))
    const ids: string[] = []
    for (const task of rows) if (await seesRestricted(task, s)) ids.push(task.id)
    return ids
  }

  return { descriptorsOf, assertMayTake, mayTake, maySee, visibleRestricted }
}

export type Eligibility = ReturnType<typeof createEligibility>


/** Whether only some people may see a task (qualifications, or a poll asking people drawn at random). */
export function restricted(task: Pick<GatedTask, 'kind' | 'payload' | 'qualifications'>) {
  return Boolean(task.qualifications?.length) || (task.kind === 'poll' && task.payload.selection === 'random')
}

function describe(q: Qualification) {
  return 'value' in q ? `${q.field} ${q.op} ${JSON.stringify(q.value)}` : `${q.field} exists`
}

function forbidden(reason: string) {
  return new TaskMarketError('FORBIDDEN', `id: ${reason}`, { field: 'id', details: { reason } })
}

function ageOn(birth: Date, today: Date) {
  const years = today.getUTCFullYear() - birth.getUTCFullYear()
  const before = today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate())
  return years - (before ? 1 : 0)
}
