import type { Queryable } from '@taskmarket/db'

export type InvitedToParameters = { address: string; taskIds: string[] }

/** Which of the polls `taskIds` invited `address` (drawn at random to answer). */
export async function invitedTo(db: Queryable, { address, taskIds }: InvitedToParameters): Promise<string[]> {
  const rows = await db.query<{ v: string }>('SELECT task_id::text AS v FROM poll_invites WHERE address = $1 AND task_id = ANY($2::uuid[])', [address, taskIds])
  return rows.map((r) => r.v)
}
