import { describe, expect, it } from 'vitest'
import { createUploadCache } from './uploadCache.ts'

describe('upload cache', () => {
  it('uploads each file and text once, and again after a failure', async () => {
    const sent: string[] = []
    let fail = true
    const cache = createUploadCache(async (data, contentType) => {
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data)
      sent.push(`${contentType}:${text}`)
      if (text === 'flaky' && fail) throw new Error('network down')
      return { hash: `h-${text}` }
    })
    // jsdom's File cannot read itself back; a browser's can.
    const file = Object.assign(new File(['bytes'], 'input.bin'), { arrayBuffer: async () => new TextEncoder().encode('bytes').buffer })
    const uploads = [
      { field: 'payload.module', data: file, contentType: 'application/wasm' },
      { field: 'payload.input', data: 'hello', contentType: 'text/plain' },
    ]
    expect(await cache.hashes(uploads)).toEqual({ 'payload.module': 'h-bytes', 'payload.input': 'h-hello' })
    const started: string[] = []
    expect(await cache.hashes(uploads, (u) => started.push(u.field))).toEqual({ 'payload.module': 'h-bytes', 'payload.input': 'h-hello' })
    expect(started).toEqual(['payload.module', 'payload.input'])
    expect(sent).toEqual(['application/wasm:bytes', 'text/plain:hello'])
    // The same file under another content type is another blob.
    await cache.hashOf({ field: 'payload.input', data: file, contentType: 'application/octet-stream' })
    expect(sent).toHaveLength(3)

    const flaky = { field: 'payload.input', data: 'flaky', contentType: 'text/plain' }
    await expect(cache.hashOf(flaky)).rejects.toThrow('network down')
    fail = false
    expect(await cache.hashOf(flaky)).toBe('h-flaky')
  })
})
