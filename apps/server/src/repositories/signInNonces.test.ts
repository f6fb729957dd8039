import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { issueSignInNonce, useSignInNonce } from './signInNonces.ts'
import { insertRow, secondsAgo } from './testRows.ts'

const inTenMinutes = () => new Date(Date.now() + 600_000)

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

const expiredCount = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM siwe_nonces WHERE expires_at < now()'))[0]!.n

describe('sign-in nonces', () => {
  it('signs in once with a nonce it issued, never with an unknown one', async () => {
    await issueSignInNonce(db, { nonce: 'fresh', expiresAt: inTenMinutes(), purgeLimit: 100 })
    expect(await useSignInNonce(db, 'fresh')).toBe(true)
    expect(await useSignInNonce(db, 'fresh')).toBe(false)
    expect(await useSignInNonce(db, 'never issued')).toBe(false)
  })

  it('refuses an expired nonce', async () => {
    await issueSignInNonce(db, { nonce: 'stale', expiresAt: secondsAgo(1), purgeLimit: 0 })
    expect(await useSignInNonce(db, 'stale')).toBe(false)
  })

  it('deletes at most `purgeLimit` expired nonces per nonce issued, and never a live one', async () => {
    for (let i = 0; i < 5; i++) await insertRow(db, 'siwe_nonces', { nonce: `old${i}`, expires_at: secondsAgo(60 + i) })
    await issueSignInNonce(db, { nonce: 'live', expiresAt: inTenMinutes(), purgeLimit: 0 })
    const before = await expiredCount()
    expect(before).toBeGreaterThanOrEqual(5)
    await issueSignInNonce(db, { nonce: 'second', expiresAt: inTenMinutes(), purgeLimit: 2 })
    expect(await expiredCount()).toBe(before - 2)
    await issueSignInNonce(db, { nonce: 'third', expiresAt: inTenMinutes(), purgeLimit: 100 })
    expect(await expiredCount()).toBe(0)
    for (const nonce of ['live', 'second', 'third']) expect(await useSignInNonce(db, nonce)).toBe(true)
  })

  it('refuses to issue the same nonce twice', async () => {
    await expect(issueSignInNonce(db, { nonce: 'fresh', expiresAt: inTenMinutes(), purgeLimit: 100 })).rejects.toThrow()
  })
})
