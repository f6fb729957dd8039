import { devAccount } from '@taskmarket/chain'
import { encodePng } from '@taskmarket/pathtracer'
import { createClient } from '@taskmarket/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BLOB_CSP } from '../src/routes/sendBlob.ts'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

/**
 * No uploaded byte runs as code on the market's origin (issue 9, point 11): blobs are shown inline only
 * as images sniffed from their bytes, everything else is a download of a plain type, always with nosniff
 * and a sandboxing CSP; the web app's pages carry a CSP too. apps/web/e2e/origin.e2e.test.ts shows the
 * same in Chromium.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>

beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const bytes = (s: string) => new TextEncoder().encode(s)
const HTML = '<!doctype html><script>fetch("/__pwned")</script>'
const SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>fetch("/__pwned")</script></svg>'

async function served(data: Uint8Array | string, declared: string, headers: Record<string, string> = {}) {
  const { hash } = await alice.api.blobs.upload(data, declared)
  const response = await m.server.app.inject({ method: 'GET', url: `/blobs/${hash}`, headers })
  return { status: response.statusCode, headers: response.headers, body: response.rawPayload }
}

describe('blobs', () => {
  it('serve a declared page or script as a download of octet-stream, never inline as what the uploader claims', async () => {
    for (const [data, declared] of [[HTML, 'text/html'], [SVG, 'image/svg+xml'], ['alert(1)', 'text/javascript'], ['<x/>', 'application/xhtml+xml'], [HTML, 'TEXT/HTML']] as const) {
      const r = await served(data, declared)
      expect(r.status, declared).toBe(200)
      expect(r.headers, declared).toMatchObject({
        'content-type': 'application/octet-stream',
        'content-disposition': 'attachment',
        'x-content-type-options': 'nosniff',
        'content-security-policy': BLOB_CSP,
      })
      expect(r.body.toString()).toBe(data)
    }
  })

  it('serve a plain declared type as itself, as a download', async () => {
    for (const declared of ['text/plain', 'application/json', 'application/wasm']) {
      // Blobs are content addressed: the first upload of some bytes fixes their declared type.
      const r = await served(`{"declared":"${declared}"}`, declared)
      expect(r.headers, declared).toMatchObject({ 'content-type': declared, 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff', 'content-security-policy': BLOB_CSP })
    }
  })

  it('show inline only images sniffed from their bytes, whatever was declared', async () => {
    const png = encodePng(2, 2, new Uint8Array(16).fill(90))
    const gif = bytes('GIF89a\x01\x00\x01\x00\x00\x00\x00;')
    const jpegPolyglot = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...bytes(HTML)])
    for (const [data, declared, type] of [[png, 'text/html', 'image/png'], [png, 'image/png', 'image/png'], [gif, 'image/svg+xml', 'image/gif'], [jpegPolyglot, 'text/html', 'image/jpeg']] as const) {
      const r = await served(data, declared)
      expect(r.headers['content-type'], declared).toBe(type)
      expect(r.headers['content-disposition']).toBeUndefined()
      expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': BLOB_CSP })
    }
  })

  it('keep Range support, with the same headers on a part', async () => {
    const r = await served(HTML, 'text/html', { range: 'bytes=2-8' })
    expect(r.status).toBe(206)
    expect(r.body.toString()).toBe(HTML.slice(2, 9))
    expect(r.headers).toMatchObject({ 'content-range': `bytes 2-8/${HTML.length}`, 'content-type': 'application/octet-stream', 'content-disposition': 'attachment', 'x-content-type-options': 'nosniff' })
    expect((await served(HTML, 'text/html', { range: `bytes=${HTML.length}-` })).status).toBe(416)
  })

  it('give a manual task’s private proof photo the same headers', async () => {
    const { task_id } = await alice.api.tasks.create({
      challenge_type: 'manual',
      reward: '2',
      payload: { title: 'Photograph the door', description: 'A photo of the front door.', place: { latitude: 52.52, longitude: 13.405, radius_m: 100, label: 'Door' }, proofs: ['photo'] },
    })
    expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
    const worker = createClient({ baseUrl: m.server.url })
    await worker.auth.signIn(devAccount(3), { chainId: m.server.chain.chain.id })
    const { assignment_id } = await worker.work.claim(task_id)
    await worker.work.uploadProof(assignment_id, 'photo', encodePng(2, 2, new Uint8Array(16).fill(7)))
    const response = await worker.http.raw('GET', `/assignments/${assignment_id}/proofs/photo`)
    const headers = ['content-type', 'x-content-type-options', 'content-security-policy', 'cache-control', 'content-disposition'].map((h) => response.headers.get(h))
    expect(headers).toEqual(['image/png', 'nosniff', BLOB_CSP, 'private, max-age=3600', null])
  })
})

describe('web app pages', () => {
  it('carry a CSP with no inline script, nosniff and no Referer, on the page, its assets and the HTML fallback', async () => {
    const page = await m.server.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(200)
    const asset = /src="\.?(\/assets\/[^"]+\.js)"/.exec(page.body)?.[1]
    expect(asset).toBeDefined()
    const rpc = new URL(m.server.chain.rpcUrl).origin
    for (const url of ['/', asset!, '/no/such/page']) {
      const r = await m.server.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } })
      expect(r.statusCode, url).toBe(200)
      const csp = String(r.headers['content-security-policy'])
      expect(csp.split('; ')).toEqual(expect.arrayContaining(["script-src 'self'", "style-src 'self'", "img-src 'self' data: blob:", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]))
      expect(csp).toContain(`connect-src 'self' ws://${new URL(m.server.url).host} ${rpc}`)
      expect(csp).not.toContain('unsafe')
      expect(r.headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' })
    }
    // The built page needs nothing the policy forbids: no inline script or style.
    expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=/)
  })
})
