import type { Queryable } from '@taskmarket/db'

export type IssueSignInNonceParameters = {
  nonce: string
  expiresAt: Date
  /** At most this many expired nonces are deleted by the same statement: bounded work per nonce issued. */
  purgeLimit: number
}

/** Stores a fresh sign-in nonce, deleting up to `purgeLimit` expired ones on the way. */
export async function issueSignInNonce(db: Queryable, { nonce, expiresAt, purgeLimit }: IssueSignInNonceParameters): Promise<void> {
  await db.query(
    `WITH purged AS (DELETE FROM siwe_nonces WHERE nonce IN (SELECT nonce FROM siwe_nonces WHERE expires_at < now() LIMIT $3))
     INSERT INTO siwe_nonces (nonce, expires_at) VALUES ($1, $2)`,
    [nonce, expiresAt, purgeLimit],
  )
}

/** Marks a nonce used; false when it is unknown, already used or expired, so each nonce signs in once. */
export async function useSignInNonce(db: Queryable, nonce: string): Promise<boolean> {
  const rows = await db.query('UPDATE siwe_nonces SET used_at = now() WHERE nonce = $1 AND used_at IS NULL AND expires_at > now() RETURNING nonce', [nonce])
  return rows.length > 0
}
