import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSession, deleteSession, sessionAddress } from './sessions.ts'
import { secondsAgo } from './testRows.ts'

const alice = '0xA11cE00000000000000000000000000000000001'
const bob = '0xb0B0000000000000000000000000000000000002'
const inAnHour = () => new Date(Date.now() + 3_600_000)

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

describe('sessions', () => {
  it('finds the address of a live session by its token hash, and nothing for an unknown hash', async () => {
    await createSession(db, { tokenHash: 'hash-a', address: alice, expiresAt: inAnHour() })
    await createSession(db, { tokenHash: 'hash-b', address: bob, expiresAt: inAnHour() })
    expect(await sessionAddress(db, 'hash-a')).toBe(alice)
    expect(await sessionAddress(db, 'hash-b')).toBe(bob)
    expect(await sessionAddress(db, 'hash-unknown')).toBeUndefined()
  })

  it('no longer finds a session once it has expired', async () => {
    await createSession(db, { tokenHash: 'hash-old', address: alice, expiresAt: secondsAgo(1) })
    expect(await sessionAddress(db, 'hash-old')).toBeUndefined()
  })

  it('ends one session, leaving the others', async () => {
    await createSession(db, { tokenHash: 'hash-c', address: alice, expiresAt: inAnHour() })
    await deleteSession(db, 'hash-c')
    await deleteSession(db, 'hash-never')
    expect(await sessionAddress(db, 'hash-c')).toBeUndefined()
    expect(await sessionAddress(db, 'hash-a')).toBe(alice)
  })

  it('refuses a second session with the same token hash', async () => {
    await expect(createSession(db, { tokenHash: 'hash-a', address: bob, expiresAt: inAnHour() })).rejects.toThrow()
    expect(await sessionAddress(db, 'hash-a')).toBe(alice)
  })
})
