import { copyFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccount, devPrivateKey } from '@taskmarket/chain'
import { nodeSigningText } from '@taskmarket/core'
import { type Hex, hexToBigInt, numberToHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningServer, startServer } from '../src/index.ts'
import { type TestMarket, startTestMarket } from './market.ts'

/**
 * Replays of node request signatures (issue 9, point 13): one signer and signed digest is accepted once,
 * by every server on the database, whatever the signature's spelling; remembered rows expire.
 */
let m: TestMarket
beforeAll(async () => {
  m = await startTestMarket()
}, 120_000)
afterAll(() => m?.close())

/** secp256k1's group order: (r, n − s) with the other parity signs the same digest. */
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n
const node = devAccount(7)

/** A node-signed `GET /auth/me`, as a worker sends it. */
async function signed(timestamp = String(Date.now())) {
  const signature = await node.signMessage({ message: nodeSigningText('GET', '/auth/me', timestamp, '') })
  return { timestamp, signature }
}

async function send(url: string, { timestamp, signature }: { timestamp: string; signature: string }) {
  const response = await fetch(`${url}/auth/me`, { headers: { 'x-node-address': node.address, 'x-node-timestamp': timestamp, 'x-node-signature': signature } })
  return { status: response.status, body: await response.json() }
}

function highS(signature: Hex): Hex {
  const s = hexToBigInt(`0x${signature.slice(66, 130)}`)
  const v = Number.parseInt(signature.slice(130, 132), 16)
  return `${signature.slice(0, 66)}${numberToHex(N - s, { size: 32 }).slice(2)}${(v === 27 ? 28 : 27).toString(16)}` as Hex
}

const upper = (signature: string) => `0x${signature.slice(2).toUpperCase()}`
const mixed = (signature: string) => `0x${[...signature.slice(2)].map((c, i) => (i % 2 ? c.toUpperCase() : c)).join('')}`
const replays = (url: string, request: { timestamp: string; signature: string }) => send(url, request).then((r) => r.status === 401 && r.body.field === 'x-node-signature' && /replay/.test(r.body.reason))

describe('node request replays', () => {
  it('refuse the same signature upper-cased, mixed-case and as its high-s twin', async () => {
    const request = await signed()
    expect(await send(m.server.url, request)).toMatchObject({ status: 200, body: { address: node.address, method: 'node' } })
    for (const signature of [request.signature, upper(request.signature), mixed(request.signature), highS(request.signature as Hex), upper(highS(request.signature as Hex))]) {
      expect(await replays(m.server.url, { ...request, signature }), signature).toBe(true)
    }
    // The twin is a valid signature of the same request, so only the replay check stops it.
    const other = await signed(String(Date.now() + 1))
    expect((await send(m.server.url, { ...other, signature: highS(other.signature as Hex) })).status).toBe(200)
    expect((await send(m.server.url, await signed(String(Date.now() + 2)))).status).toBe(200)
  })

  it('let exactly one of two concurrent copies through', async () => {
    const request = await signed()
    const results = await Promise.all([send(m.server.url, request), send(m.server.url, { ...request, signature: upper(request.signature) })])
    expect(results.map((r) => r.status).sort()).toEqual([200, 401])
  })

  it('forget signatures past twice the timestamp window', async () => {
    const db = m.server.db
    await db.query(`INSERT INTO node_request_replays (signer, digest, expires_at) SELECT 'x', 'old' || i, now() - interval '1 second' FROM generate_series(1, 50) AS i`)
    // Expired rows go with the next request once a second has passed since the last purge.
    await new Promise((r) => setTimeout(r, 1100))
    expect((await send(m.server.url, await signed())).status).toBe(200)
    expect(await db.query(`SELECT 1 FROM node_request_replays WHERE expires_at < now()`)).toEqual([])
    const [row] = await db.query<{ ms: number }>(`SELECT extract(epoch from max(expires_at) - now()) * 1000 AS ms FROM node_request_replays`)
    expect(Number(row!.ms)).toBeGreaterThan(100_000)
    expect(Number(row!.ms)).toBeLessThanOrEqual(121_000)
  })
})

describe.skipIf(!process.env.TEST_DATABASE_URL)('node request replays across servers on one PostgreSQL', () => {
  let second: RunningServer
  beforeAll(async () => {
    // A second server on the same chain, contracts and database, as a scaled-out market runs.
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-second-'))
    copyFileSync(join(m.home, 'deployment.json'), join(home, `deployment-${m.server.chain.chain.id}.json`))
    second = await startServer({ home, port: 0, logLevel: 'silent', rpcUrl: m.server.chain.rpcUrl, operatorKey: devPrivateKey(0), databaseUrl: m.server.config.databaseUrl })
  }, 120_000)
  afterAll(() => second?.close())

  it('refuse on one server a request the other already took, in any spelling', async () => {
    expect(second.chain.deployment.addresses).toEqual(m.server.chain.deployment.addresses)
    const request = await signed()
    expect((await send(m.server.url, request)).status).toBe(200)
    expect(await replays(second.url, request)).toBe(true)
    expect(await replays(second.url, { ...request, signature: highS(request.signature as Hex) })).toBe(true)
    expect(await replays(second.url, { ...request, signature: mixed(request.signature) })).toBe(true)
  })

  it('let one of two concurrent copies through, one sent to each server', async () => {
    for (let i = 0; i < 5; i++) {
      const request = await signed(String(Date.now() + i))
      const results = await Promise.all([send(m.server.url, request), send(second.url, { ...request, signature: upper(request.signature) })])
      expect(results.map((r) => r.status).sort()).toEqual([200, 401])
    }
  })
})
