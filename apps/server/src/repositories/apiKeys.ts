import type { ApiKeyList } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

export type InsertApiKeyParameters = { id: string; address: string; name: string; prefix: string; keyHash: string }
export type RevokeApiKeyParameters = { id: string; address: string }

/** Stores a new key of `address`: only its hash and its prefix (to tell keys apart), never the key. */
export async function insertApiKey(db: Queryable, { id, address, name, prefix, keyHash }: InsertApiKeyParameters): Promise<void> {
  await db.query('INSERT INTO api_keys (id, address, name, prefix, key_hash) VALUES ($1, $2, $3, $4, $5)', [id, address, name, prefix, keyHash])
}

/** The owner of the live key with this hash, marking it used now; undefined when it is unknown or revoked. */
export async function useApiKey(db: Queryable, keyHash: string): Promise<string | undefined> {
  const [row] = await db.query<{ address: string }>('UPDATE api_keys SET last_used_at = now() WHERE key_hash = $1 AND revoked_at IS NULL RETURNING address', [keyHash])
  return row?.address
}

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
