import { devAccount } from '@taskmarket/chain'
import { ApiError } from '@taskmarket/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

let m: TestMarket
beforeAll(async () => {
  m = await startTestMarket({}, { inject: true })
})
afterAll(() => m?.close())

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as ApiError)

describe('profiles', () => {
  it('keeps sensitive descriptors only with opt-in, and never shows them to anyone else', async () => {
    const bob = await m.poster(4)
    const error = await fail(bob.client.http.json('PUT', '/profile', { descriptors: { languages: ['de'] }, sensitive_opt_in: false, sensitive: { religion: 'x' } }))
    expect(error).toMatchObject({ status: 400, field: 'sensitive' })
    expect(await fail(bob.client.http.json('PUT', '/profile', { descriptors: { languages: ['german'] }, sensitive_opt_in: false }))).toMatchObject({ status: 400, field: 'descriptors.languages.0' })

    const saved = await bob.client.http.json('PUT', '/profile', { descriptors: { skills: ['driving'], languages: ['de', 'en'], region: 'EU' }, sensitive_opt_in: true, sensitive: { date_of_birth: '1990-04-01', nationality: 'DE' } })
    expect(saved).toMatchObject({ sensitive_opt_in: true, sensitive: { nationality: 'DE' } })
    expect(await bob.client.http.json('GET', '/profile')).toMatchObject({ descriptors: { region: 'EU' }, sensitive: { date_of_birth: '1990-04-01' } })

    const publicView = await m.client().http.json<any>('GET', `/profiles/${devAccount(4).address}`)
    expect(publicView).toEqual({ address: devAccount(4).address, descriptors: { skills: ['driving'], languages: ['de', 'en'], region: 'EU' } })
    expect(JSON.stringify(publicView)).not.toContain('1990')

    // Opting out deletes them.
    await bob.client.http.json('PUT', '/profile', { descriptors: { region: 'EU' }, sensitive_opt_in: false })
    expect(await bob.client.http.json('GET', '/profile')).toMatchObject({ sensitive_opt_in: false, sensitive: null })
    expect(await fail(m.client().http.json('GET', '/profile'))).toMatchObject({ status: 401 })
  })

  it('keeps a blocked worker away from the poster’s tasks', async () => {
    await m.fund(devAccount(1))
    const alice = await m.poster(1)
    const worker = await m.stakedNode(12)
    await alice.client.http.json('POST', '/blocks', { worker: worker.address, reason: 'wrong results' })
    expect((await alice.client.http.json<any>('GET', '/blocks')).blocks.map((b: any) => b.worker)).toEqual([worker.address])
    const created = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x7', matrix_size: 4, iterations: 1 }, reward: '1' })
    expect(await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')).toBe(true)
    expect((await worker.claim(['synthetic'], 5)).leases).toEqual([])
    expect((await (await m.stakedNode(11)).claim(['synthetic'], 5)).leases).toHaveLength(1)
    await alice.client.http.json('DELETE', `/blocks/${worker.address}`)
    expect((await worker.claim(['synthetic'], 5)).leases).toHaveLength(1)
  })
})
