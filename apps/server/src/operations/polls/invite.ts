import { randomInt } from 'node:crypto'
import { qualifies } from '@taskmarket/core'
import type { Eligibility } from '../../services/eligibility.ts'
import type { Tx } from '../tx.ts'

/** A poll drawn at random invites this many people per respondent it wants, so a few silent ones do not stall it. */
export const INVITES_PER_RESPONDENT = 2

export type InvitePollRespondentsParameters = { taskId: string; eligibility: Eligibility }

/** Once the escrow is locked, a poll drawn at random invites its respondents: a CSPRNG draw among those who qualify. */
export async function invitePollRespondents(tx: Tx, { taskId, eligibility }: InvitePollRespondentsParameters): Promise<number> {
  const [task] = await tx.query<{ poster: string; kind: string; payload: any; qualifications: any }>('SELECT poster, kind, payload, qualifications FROM tasks WHERE id = $1', [taskId])
  if (!task || task.kind !== 'poll' || task.payload.selection !== 'random') return 0
  const people = await tx.query<{ address: string }>(
    'SELECT address FROM profiles p WHERE address <> $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = $1 AND b.worker = p.address)',
    [task.poster],
  )
  const pool: string[] = []
  for (const { address } of people) {
    if (!task.qualifications?.length || qualifies(await eligibility.descriptorsOf(tx, address), task.qualifications)) pool.push(address)
  }
  const drawn = sample(pool, task.payload.respondents * INVITES_PER_RESPONDENT)
  await tx.query('INSERT INTO poll_invites (task_id, address) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [taskId, drawn])
  return drawn.length
}

/** `n` distinct items drawn uniformly with a CSPRNG (a partial Fisher–Yates shuffle). */
function sample<T>(items: T[], n: number): T[] {
  const pool = [...items]
  const k = Math.min(n, pool.length)
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(pool.length - i)
    ;[pool[i], pool[j]] = [pool[j]!, pool[i]!]
  }
  return pool.slice(0, k)
}
