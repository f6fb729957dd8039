import type { Queryable } from '@taskmarket/db'

export type CreateSessionParameters = { tokenHash: string; address: string; expiresAt: Date }

/** Opens a session for `address`, known by the hash of its token until `expiresAt`. */
export async function createSession(db: Queryable, { tokenHash, address, expiresAt }: CreateSessionParameters): Promise<void> {
  await db.query('INSERT INTO sessions (token_hash, address, expires_at) VALUES ($1, $2, $3)', [tokenHash, address, expiresAt])
}

/** The address a live (unexpired) session belongs to, or undefined. */
export async function sessionAddress(db: Queryable, tokenHash: string): Promise<string | undefined> {
  const [row] = await db.query<{ address: string }>('SELECT address FROM sessions WHERE token_hash = $1 AND expires_at > now()', [tokenHash])
  return row?.address
}

/** Ends a session (a no-op when there is none). */
export async function deleteSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash])
}
