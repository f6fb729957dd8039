import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ownProfile, publicDescriptors, saveProfile } from './profiles.ts'

const alice = '0xA11cE00000000000000000000000000000000001'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

describe('profiles', () => {
  it('has nothing for an address that saved no profile', async () => {
    expect(await ownProfile(db, '0x0000000000000000000000000000000000000009')).toBeUndefined()
    expect(await publicDescriptors(db, '0x0000000000000000000000000000000000000009')).toBeUndefined()
  })

  it('keeps sensitive descriptors for their owner only, and drops them when saved without', async () => {
    await saveProfile(db, { address: alice, descriptors: { skills: ['welding'] }, sensitive: { nationality: 'FR' } })
    expect(await ownProfile(db, alice)).toEqual({ public: { skills: ['welding'] }, sensitive: { nationality: 'FR' } })
    expect(await publicDescriptors(db, alice)).toEqual({ skills: ['welding'] })

    await saveProfile(db, { address: alice, descriptors: { region: 'Lyon' }, sensitive: null })
    expect(await ownProfile(db, alice)).toEqual({ public: { region: 'Lyon' }, sensitive: null })
  })

  it('keeps an empty set of sensitive descriptors apart from none', async () => {
    await saveProfile(db, { address: alice, descriptors: {}, sensitive: {} })
    expect((await ownProfile(db, alice))!.sensitive).toEqual({})
  })
})
