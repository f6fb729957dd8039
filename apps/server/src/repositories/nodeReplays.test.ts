import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordNodeRequest } from './nodeReplays.ts'
import { insertRow, secondsAgo } from './testRows.ts'

const node = '0x00000000000000000000000000000000000000a1'
const other = '0x00000000000000000000000000000000000000a2'
const inTwoMinutes = () => new Date(Date.now() + 120_000)

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

const record = (signer: string, digest: string, purgeExpired = false) => recordNodeRequest(db, { signer, digest, expiresAt: inTwoMinutes(), purgeExpired })
const digestsOf = async (signer: string) => (await db.query<{ digest: string }>('SELECT digest FROM node_request_replays WHERE signer = $1 ORDER BY digest', [signer])).map((r) => r.digest)

describe('node request replays', () => {
  it('records a signer and digest once: the same pair again is a replay, whatever its expiry', async () => {
    expect(await record(node, '0xd1')).toBe(true)
    expect(await record(node, '0xd1')).toBe(false)
    expect(await recordNodeRequest(db, { signer: node, digest: '0xd1', expiresAt: new Date(Date.now() + 3_600_000), purgeExpired: true })).toBe(false)
    expect(await record(node, '0xd2')).toBe(true)
    expect(await record(other, '0xd1')).toBe(true)
    expect(await digestsOf(node)).toEqual(['0xd1', '0xd2'])
  })

  it('lets exactly one of concurrent copies of a request through', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => record(node, '0xconcurrent')))
    expect(results.filter(Boolean)).toHaveLength(1)
  })

  it('keeps a pair until when it was asked', async () => {
    const expiresAt = secondsAgo(-90)
    await recordNodeRequest(db, { signer: other, digest: '0xkept', expiresAt, purgeExpired: false })
    const [row] = await db.query<{ expires_at: Date }>('SELECT expires_at FROM node_request_replays WHERE signer = $1 AND digest = $2', [other, '0xkept'])
    expect(row!.expires_at.getTime()).toBe(expiresAt.getTime())
  })

  it('drops the expired pairs only when asked to purge, keeping the live ones', async () => {
    for (let i = 0; i < 3; i++) await insertRow(db, 'node_request_replays', { signer: 'x', digest: `old${i}`, expires_at: secondsAgo(1 + i) })
    expect(await record(node, '0xd3')).toBe(true)
    expect(await digestsOf('x')).toEqual(['old0', 'old1', 'old2'])
    expect(await record(node, '0xd4', true)).toBe(true)
    expect(await digestsOf('x')).toEqual([])
    expect(await digestsOf(node)).toEqual(['0xconcurrent', '0xd1', '0xd2', '0xd3', '0xd4'])
  })
})
