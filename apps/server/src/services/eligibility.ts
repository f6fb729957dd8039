import { type Descriptors, type Qualification, TaskMarketError, qualifies } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import type { ChainService } from './chain.ts'

/** The parts of a task row that decide who may see and take it. */
export type GatedTask = { id: string; poster: string; kind: string; payload: any; qualifications: Qualification[] | null }

/**
 * Who may see and take a task: the poster's blocks, the task's qualifications (on profile descriptors,
 * the opted-in sensitive ones, age, trust level and approved work) and, for a poll drawn at random, the
 * invitation. Sensitive descriptors are only ever compared here; no answer reveals their values.
 */
export function createEligibility({ chain, now = () => Date.now() }: { chain: ChainService; now?: () => number }) {
  async function descriptorsOf(q: Queryable, address: string): Promise<Descriptors> {
    const [profile] = await q.query<{ public: Record<string, any>; sensitive: Record<string, any> | null }>('SELECT public, sensitive FROM profiles WHERE address = $1', [getAddress(address)])
    const [approved] = await q.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.worker = $1 AND a.status = 'valid' AND t.kind = 'manual'`, [getAddress(address)])
    const trust = await chain.contracts.registry.read.trustLevel([address as Address]).then(Number, () => 0)
    const sensitive = profile?.sensitive ?? {}
    const birth = typeof sensitive.date_of_birth === 'string' ? new Date(sensitive.date_of_birth) : undefined
    return {
      ...profile?.public,
      ...sensitive,
      ...(birth ? { age: ageOn(birth, new Date(now())) } : {}),
      trust_level: trust,
      tasks_approved: approved?.n ?? 0,
    }
  }

  /** Throws a 403 naming the first requirement `address` does not meet. */
  async function assertMayTake(q: Queryable, task: GatedTask, address: string) {
    if (getAddress(task.poster) === getAddress(address)) throw forbidden('you cannot take your own task')
    const [blocked] = await q.query('SELECT 1 FROM blocks WHERE poster = $1 AND worker = $2', [task.poster, getAddress(address)])
    if (blocked) throw forbidden('the poster does not take work from you')
    if (task.kind === 'poll' && task.payload.selection === 'random') {
      const [invited] = await q.query('SELECT 1 FROM poll_invites WHERE task_id = $1 AND address = $2', [task.id, getAddress(address)])
      if (!invited) throw forbidden('this poll asks only the people drawn at random for it')
    }
    if (task.qualifications?.length) {
      const mine = await descriptorsOf(q, address)
      const missed = task.qualifications.find((r) => !qualifies(mine, [r]))
      if (missed) throw forbidden(`you do not meet this task's requirement ${describe(missed)}`)
    }
  }

  async function mayTake(q: Queryable, task: GatedTask, address: string): Promise<boolean> {
    return assertMayTake(q, task, address).then(() => true, () => false)
  }

  /** Whether `viewer` may see a task: unrestricted tasks are public; restricted ones only to whoever may take them. */
  async function maySee(q: Queryable, task: GatedTask, viewer: string | undefined): Promise<boolean> {
    if (!restricted(task)) return true
    if (!viewer) return false
    if (getAddress(task.poster) === getAddress(viewer)) return true
    const [took] = await q.query('SELECT 1 FROM assignments WHERE task_id = $1 AND worker = $2 LIMIT 1', [task.id, getAddress(viewer)])
    return Boolean(took) || mayTake(q, task, viewer)
  }

  /**
   * Ids of the restricted tasks `viewer` may see (the newest 2,000 restricted tasks are considered), with
   * the viewer's descriptors, blocks, invitations and assignments read once for all of them.
   */
  async function visibleRestricted(q: Queryable, viewer: string | undefined): Promise<string[]> {
    if (!viewer) return []
    const me = getAddress(viewer)
    const rows = await q.query<GatedTask>(
      `SELECT id, poster, kind, payload, qualifications FROM tasks
       WHERE qualifications IS NOT NULL OR payload->>'selection' = 'random' ORDER BY created_at DESC LIMIT 2000`,
    )
    if (rows.length === 0) return []
    const ids = rows.map((t) => t.id)
    const set = async (sql: string, params: unknown[]) => new Set((await q.query<{ v: string }>(sql, params)).map((r) => r.v))
    const blockedBy = await set('SELECT poster AS v FROM blocks WHERE worker = $1', [me])
    const invited = await set('SELECT task_id::text AS v FROM poll_invites WHERE address = $1 AND task_id = ANY($2::uuid[])', [me, ids])
    const took = await set('SELECT DISTINCT task_id::text AS v FROM assignments WHERE worker = $1 AND task_id = ANY($2::uuid[])', [me, ids])
    const mine = await descriptorsOf(q, me)
    return rows
      .filter((t) => {
        if (getAddress(t.poster) === me || took.has(t.id)) return true
        if (blockedBy.has(t.poster)) return false
        if (t.kind === 'poll' && t.payload.selection === 'random' && !invited.has(t.id)) return false
        return !t.qualifications?.length || qualifies(mine, t.qualifications)
      })
      .map((t) => t.id)
  }

  return { descriptorsOf, assertMayTake, maySee, visibleRestricted }
}

export type Eligibility = ReturnType<typeof createEligibility>

/** SQL condition (on table alias `t`) for tasks everyone may see. */
export const UNRESTRICTED_SQL = `(t.qualifications IS NULL AND coalesce(t.payload->>'selection', '') <> 'random')`

function restricted(task: GatedTask) {
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
