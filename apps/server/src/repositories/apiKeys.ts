import type { ApiKeyList } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

export type RevokeApiKeyParameters = { id: string; address: string }

/** The API keys of `address` that are not revoked, newest first. */
export async function listApiKeys(db: Queryable, address: string): Promise<ApiKeyList['keys']> {
  return db.query<ApiKeyList['keys'][number]>(
    `SELECT id, name, prefix, extract(epoch from created_at)::int AS created_at, extract(epoch from last_used_at)::int AS last_used_at
     FROM api_keys WHERE address = $1 AND revoked_at IS NULL ORDER BY created_at DESC`,
    [address],
  )
}

/** Revokes a live key of `address`; false when it has no such key (another's, unknown or already revoked). */
export async function revokeApiKey(db: Queryable, { id, address }: RevokeApiKeyParameters): Promise<boolean> {
  const rows = await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1 AND address = $2 AND revoked_at IS NULL RETURNING id', [id, address])
  return rows.length > 0
}
