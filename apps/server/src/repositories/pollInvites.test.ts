import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { invitedTo } from './pollInvites.ts'
import { insertRow, insertTask } from './testRows.ts'

const alice = '0xA11cE00000000000000000000000000000000001'
const bob = '0xb0B0000000000000000000000000000000000002'

let db: Database
const polls: string[] = []
beforeAll(async () => {
  db = await createTestDatabase()
  for (let i = 0; i < 3; i++) polls.push(await insertTask(db, { kind: 'poll', payload: { selection: 'random' } }))
  await insertRow(db, 'poll_invites', { task_id: polls[0], address: alice })
  await insertRow(db, 'poll_invites', { task_id: polls[1], address: alice })
  await insertRow(db, 'poll_invites', { task_id: polls[0], address: bob })
})
afterAll(() => db?.close())

describe('poll invites', () => {
  it('names the polls among those asked that invited an address', async () => {
    const [first, second, third] = polls as [string, string, string]
    expect((await invitedTo(db, { address: alice, taskIds: polls })).sort()).toEqual([first, second].sort())
    expect(await invitedTo(db, { address: alice, taskIds: [second, third] })).toEqual([second])
    expect(await invitedTo(db, { address: bob, taskIds: [second, third] })).toEqual([])
    expect(await invitedTo(db, { address: bob, taskIds: [] })).toEqual([])
  })

  it('matches the address exactly as it was invited', async () => {
    expect(await invitedTo(db, { address: alice.toLowerCase(), taskIds: polls })).toEqual([])
  })
})
