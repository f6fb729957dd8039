import { devAccount } from '@taskmarket/chain'
import { encodePng } from '@taskmarket/pathtracer'
import { createClient } from '@taskmarket/sdk'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from './harness.ts'

/**
 * No uploaded byte runs as code on the market's origin (issue 9, point 11), in Debian's Chromium against a
 * real `taskmarket start`: HTML, SVG and image polyglots with script are uploaded as blobs, opened directly
 * and embedded in an app page; every script would call `/__pwned/…` and set `window.top.__pwned`, and
 * neither happens. The app page's own CSP refuses an injected inline script.
 */
let harness: Harness
const hashes: Record<string, string> = {}

const script = (name: string) => `try { window.top.__pwned = '${name}' } catch {}; fetch('/__pwned/${name}')`
const payloads = {
  html: { type: 'text/html', data: `<!doctype html><title>x</title><script>${script('html')}</script><img src=x onerror="${script('html-onerror')}">` },
  svg: { type: 'image/svg+xml', data: `<svg xmlns="http://www.w3.org/2000/svg" onload="${script('svg-onload')}"><script>${script('svg')}</script></svg>` },
  // Image magic in front, markup behind: served as the image the bytes say, which runs nothing.
  jpeg: { type: 'text/html', data: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(`<html><script>${script('jpeg')}</script>`)]) },
  png: { type: 'text/html', data: new Uint8Array([...encodePng(2, 2, new Uint8Array(16).fill(40)), ...new TextEncoder().encode(`<script>${script('png')}</script>`)]) },
} as const

beforeAll(async () => {
  harness = await startHarness({ workers: 0 })
  const uploader = createClient({ baseUrl: harness.base })
  await uploader.auth.signIn(devAccount(26), { chainId: (await uploader.market.config()).chain_id })
  for (const [name, p] of Object.entries(payloads)) hashes[name] = (await uploader.blobs.upload(p.data, p.type)).hash
}, 180_000)

afterAll(async () => {
  await harness?.close()
}, 60_000)

/** Every request the context makes to a `/__pwned/…` URL: any of them means an uploaded script ran. */
function watchPwned(page: Page): string[] {
  const hits: string[] = []
  page.context().on('request', (r) => {
    if (r.url().includes('/__pwned/') || r.url().endsWith('/__control')) hits.push(new URL(r.url()).pathname)
  })
  return hits
}

const settle = (page: Page) => page.waitForTimeout(1500)

describe('uploaded blobs in Chromium', () => {
  it('opened directly: HTML and SVG are downloads, image polyglots show as images, no script runs', async () => {
    const context = await harness.browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const hits = watchPwned(page)
    for (const name of ['html', 'svg'] as const) {
      const download = page.waitForEvent('download', { timeout: 10_000 })
      await page.goto(`${harness.base}/blobs/${hashes[name]}`).catch(() => {}) // a download aborts the navigation
      await download
    }
    for (const name of ['jpeg', 'png'] as const) {
      const response = await page.goto(`${harness.base}/blobs/${hashes[name]}`)
      expect(response?.headers()['content-type']).toBe(`image/${name}`)
      await settle(page)
      expect(await page.evaluate(() => [document.contentType, (window as { __pwned?: string }).__pwned ?? null])).toEqual([`image/${name}`, null])
    }
    await settle(page)
    expect(hits).toEqual([])
    await context.close()
  })

  it('embedded in an app page as <img>, <iframe>, <object> and <embed>: no script runs; the page refuses inline script', async () => {
    const context = await harness.browser.newContext({ acceptDownloads: true })
    const page = await context.newPage()
    const hits = watchPwned(page)
    await harness.go(page, '/')
    // The watch sees what a script on this page requests: the control request is counted.
    await page.evaluate(() => fetch('/__control'))
    await expect.poll(() => hits).toEqual(['/__control'])
    hits.length = 0

    const violations = await page.evaluate(async (blobs) => {
      const found: string[] = []
      document.addEventListener('securitypolicyviolation', (e) => found.push(e.effectiveDirective))
      for (const hash of Object.values(blobs)) {
        const url = `/blobs/${hash}`
        const img = document.createElement('img')
        img.src = url
        const frame = document.createElement('iframe')
        frame.src = url
        const object = document.createElement('object')
        object.data = url
        const embed = document.createElement('embed')
        embed.src = url
        document.body.append(img, frame, object, embed)
      }
      const inline = document.createElement('script')
      inline.textContent = "window.__pwned = 'inline'"
      document.body.append(inline)
      await new Promise((r) => setTimeout(r, 1500))
      return found
    }, hashes)
    await settle(page)
    expect(await page.evaluate(() => (window as { __pwned?: string }).__pwned ?? null)).toBeNull()
    for (const frame of page.frames()) expect(await frame.evaluate(() => (window as { __pwned?: string }).__pwned ?? null).catch(() => null)).toBeNull()
    expect(violations).toContain('script-src-elem')
    expect(violations).toContain('object-src')
    expect(hits).toEqual([])
    await context.close()
  })
})
