import type { Queryable } from '@taskmarket/db'

export type RecordNodeRequestParameters = {
  signer: string
  /** The digest of the signed request text. */
  digest: string
  /** Until when the pair is remembered. */
  expiresAt: Date
  /** Whether the same statement first deletes every remembered pair that expired. */
  purgeExpired: boolean
}

/**
 * Remembers a node request's signer and digest; false when the pair is already remembered (a replay). The
 * primary key decides, so of two concurrent requests with the same pair exactly one is recorded.
 */
export async function recordNodeRequest(db: Queryable, { signer, digest, expiresAt, purgeExpired }: RecordNodeRequestParameters): Promise<boolean> {
  const rows = await db.query(
    `${purgeExpired ? 'WITH purged AS (DELETE FROM node_request_replays WHERE expires_at < now()) ' : ''}
     INSERT INTO node_request_replays (signer, digest, expires_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING signer`,
    [signer, digest, expiresAt],
  )
  return rows.length > 0
}
