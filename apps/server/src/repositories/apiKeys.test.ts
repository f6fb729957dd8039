import { randomUUID } from 'node:crypto'
import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertApiKey, listApiKeys, revokeApiKey, useApiKey } from './apiKeys.ts'
import { epoch, insertRow, secondsAgo } from './testRows.ts'

const alice = '0xA11cE00000000000000000000000000000000001'
const bob = '0xb0B0000000000000000000000000000000000002'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

async function key(address: string, name: string, columns: Record<string, unknown> = {}) {
  const id = randomUUID()
  await insertRow(db, 'api_keys', { id, address, name, prefix: `tm_${name}`, key_hash: `hash-${id}`, ...columns })
  return id
}

describe('api keys', () => {
  it('lists the live keys of one address, newest first, with times in seconds', async () => {
    const usedAt = secondsAgo(30)
    const older = await key(alice, 'older', { created_at: secondsAgo(60), last_used_at: usedAt })
    const newer = await key(alice, 'newer', { created_at: secondsAgo(10) })
    await key(alice, 'revoked', { revoked_at: secondsAgo(1) })
    await key(bob, 'bobs')
    const keys = await listApiKeys(db, alice)
    expect(keys.map((k) => k.id)).toEqual([newer, older])
    expect(keys[1]).toMatchObject({ name: 'older', prefix: 'tm_older', last_used_at: epoch(usedAt) })
    expect(keys[0]!.last_used_at).toBeNull()
    expect(Math.abs(keys[0]!.created_at - (Date.now() / 1000 - 10))).toBeLessThan(5)
  })

  it('revokes only a live key of its owner', async () => {
    const mine = await key(alice, 'to revoke')
    const theirs = await key(bob, 'not alice’s')
    expect(await revokeApiKey(db, { id: theirs, address: alice })).toBe(false)
    expect(await revokeApiKey(db, { id: mine, address: alice })).toBe(true)
    expect(await revokeApiKey(db, { id: mine, address: alice })).toBe(false)
    expect((await listApiKeys(db, alice)).map((k) => k.id)).not.toContain(mine)
    expect((await listApiKeys(db, bob)).map((k) => k.id)).toContain(theirs)
  })

  it('stores a new key by its hash and finds its owner while it is live, marking it used', async () => {
    const id = randomUUID()
    await insertApiKey(db, { id, address: bob, name: 'ci', prefix: 'tm_abcd', keyHash: 'hash-of-the-ci-key' })
    expect((await listApiKeys(db, bob)).find((k) => k.id === id)).toMatchObject({ name: 'ci', prefix: 'tm_abcd', last_used_at: null })
    expect(await useApiKey(db, 'hash-of-the-ci-key')).toBe(bob)
    const used = (await listApiKeys(db, bob)).find((k) => k.id === id)!
    expect(Math.abs(used.last_used_at! - Date.now() / 1000)).toBeLessThan(60)
    expect(await useApiKey(db, 'hash-of-no-key')).toBeUndefined()
    await revokeApiKey(db, { id, address: bob })
    expect(await useApiKey(db, 'hash-of-the-ci-key')).toBeUndefined()
  })

  it('refuses a second key with the same hash', async () => {
    await insertApiKey(db, { id: randomUUID(), address: alice, name: 'one', prefix: 'tm_one', keyHash: 'hash-twice' })
    await expect(insertApiKey(db, { id: randomUUID(), address: bob, name: 'two', prefix: 'tm_two', keyHash: 'hash-twice' })).rejects.toThrow()
    expect(await useApiKey(db, 'hash-twice')).toBe(alice)
  })
})
