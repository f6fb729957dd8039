import type { Queryable } from '@taskmarket/db'

/** Whether the database answers: resolves when it does, throws its error when it does not. */
export async function pingDatabase(db: Queryable): Promise<void> {
  await db.query('SELECT 1')
}
