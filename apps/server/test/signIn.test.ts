import { devAccount } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import { createSiweMessage } from 'viem/siwe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from './market.ts'

/**
 * Sign-In with Ethereum under attack (issue 9, point 12, and point 15's nonce purging): only the domain and
 * URI of PUBLIC_URL are accepted, whatever Host the request names; expired nonces do not pile up.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>

beforeAll(async () => {
  m = await startTestMarket()
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

describe('Sign-In with Ethereum', () => {
  const account = devAccount(2)
  const origin = () => new URL(m.server.config.publicUrl)
  async function verify(fields: { domain: string; uri: string }, host?: string) {
    const { nonce } = await createClient({ baseUrl: m.server.url }).auth.nonce()
    const message = createSiweMessage({ address: account.address, chainId: m.server.chain.chain.id, nonce, version: '1', ...fields })
    const signature = await account.signMessage({ message })
    const response = await m.server.app.inject({ method: 'POST', url: '/auth/verify', headers: host ? { host } : {}, payload: { message, signature } })
    return { status: response.statusCode, body: response.json() }
  }

  it('signs in for the domain and URI of PUBLIC_URL, which is where the SDK talks to', async () => {
    expect(m.server.config.publicUrl).toBe(m.server.url)
    expect((await verify({ domain: origin().host, uri: origin().origin })).status).toBe(200)
    expect((await verify({ domain: origin().host, uri: `${origin().origin}/#/signin` })).status).toBe(200)
    expect(await alice.client.auth.me()).toMatchObject({ address: alice.account.address, method: 'session' })
  })

  it('refuses another domain, even one the Host header names, with 401 naming message.domain', async () => {
    for (const domain of ['evil.example', `localhost:${m.server.port}`]) {
      const r = await verify({ domain, uri: `http://${domain}` }, domain)
      expect(r.status, domain).toBe(401)
      expect(r.body).toMatchObject({ code: 'UNAUTHENTICATED', field: 'message.domain' })
      expect(r.body.message).toContain(origin().host)
    }
  })

  it('refuses a foreign URI on the right domain with 401 naming message.uri', async () => {
    for (const uri of ['https://evil.example', `https://${origin().host}`, 'http://evil.example/login']) {
      const r = await verify({ domain: origin().host, uri }, 'evil.example')
      expect(r.status, uri).toBe(401)
      expect(r.body).toMatchObject({ code: 'UNAUTHENTICATED', field: 'message.uri' })
    }
  })

  it('purges expired nonces when issuing new ones, a bounded batch at a time, keeping live ones', async () => {
    const db = m.server.db
    await db.query(`INSERT INTO siwe_nonces (nonce, expires_at) SELECT 'old' || i, now() - interval '1 minute' FROM generate_series(1, 150) AS i`)
    const live = (await createClient({ baseUrl: m.server.url }).auth.nonce()).nonce
    const expired = async () => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM siwe_nonces WHERE expires_at < now()`))[0]!.n
    expect(await expired()).toBe(50)
    await createClient({ baseUrl: m.server.url }).auth.nonce()
    expect(await expired()).toBe(0)
    expect(await db.query('SELECT nonce FROM siwe_nonces WHERE nonce = $1', [live])).toHaveLength(1)
  })
})
