import { describe, expect, it } from 'vitest'
import { sniffImageType, sniffInlineImageType, stripImageMetadata } from './images.ts'

const seg = (marker: number, payload: number[]) => [0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff, ...payload]
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0))

describe('image proofs', () => {
  it('recognises JPEG and PNG by their bytes, nothing else', () => {
    expect(sniffImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffImageType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe('image/png')
    expect(sniffImageType(new TextEncoder().encode('GIF89a....'))).toBeUndefined()
  })

  it('recognises the images a blob may show inline (JPEG, PNG, GIF, WebP), never SVG or HTML', () => {
    const bytes = (s: string) => new TextEncoder().encode(s)
    expect(sniffInlineImageType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg')
    expect(sniffInlineImageType(bytes('GIF87a\x01\x00'))).toBe('image/gif')
    expect(sniffInlineImageType(bytes('GIF89a\x01\x00'))).toBe('image/gif')
    expect(sniffInlineImageType(bytes('RIFF\x10\x00\x00\x00WEBPVP8 '))).toBe('image/webp')
    expect(sniffInlineImageType(bytes('RIFF\x10\x00\x00\x00WAVEfmt '))).toBeUndefined()
    expect(sniffInlineImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'))).toBeUndefined()
    expect(sniffInlineImageType(bytes('<!doctype html><script>alert(1)</script>'))).toBeUndefined()
    expect(sniffInlineImageType(bytes('GIF8'))).toBeUndefined()
  })

  it('drops JPEG EXIF (with its GPS), XMP and comments, keeping JFIF, tables and the scan', () => {
    const jfif = seg(0xe0, ascii('JFIF\0'))
    const exif = seg(0xe1, ascii('Exif\0\0GPS 52.52N 13.40E Canon'))
    const comment = seg(0xfe, ascii('secret'))
    const dqt = seg(0xdb, [0, 1, 2, 3])
    const scan = [0xff, 0xda, 0, 2, 9, 9, 9, 0xff, 0xd9]
    const input = new Uint8Array([0xff, 0xd8, ...jfif, ...exif, ...comment, ...dqt, ...scan])
    const out = stripImageMetadata(input)
    expect([...out]).toEqual([0xff, 0xd8, ...jfif, ...dqt, ...scan])
    expect(new TextDecoder().decode(out)).not.toContain('GPS')
  })

  it('drops PNG text and EXIF chunks, keeping the pixels', () => {
    const chunk = (type: string, data: number[]) => [0, 0, 0, data.length, ...ascii(type), ...data, 1, 2, 3, 4]
    const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
    const ihdr = chunk('IHDR', Array(13).fill(1))
    const idat = chunk('IDAT', [5, 6, 7])
    const iend = chunk('IEND', [])
    const input = new Uint8Array([...signature, ...ihdr, ...chunk('tEXt', ascii('Author\0me')), ...chunk('eXIf', [1, 2]), ...idat, ...iend])
    expect([...stripImageMetadata(input)]).toEqual([...signature, ...ihdr, ...idat, ...iend])
  })

  it('refuses truncated or foreign files', () => {
    expect(() => stripImageMetadata(new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0x10, 0x00]))).toThrow(RangeError)
    expect(() => stripImageMetadata(new TextEncoder().encode('not an image'))).toThrow('not a JPEG or PNG')
  })
})
