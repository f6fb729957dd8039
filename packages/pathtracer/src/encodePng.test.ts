import { inflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { crc32 } from './crc32.ts'
import { decodePng } from './decodePng.ts'
import { PNG_SIGNATURE, encodePng } from './encodePng.ts'

function chunks(png: Buffer) {
  const found: { type: string; data: Buffer; crc: number }[] = []
  let offset = 8
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    found.push({ type, data: png.subarray(offset + 8, offset + 8 + length), crc: png.readUInt32BE(offset + 8 + length) })
    offset += 12 + length
  }
  expect(offset).toBe(png.length)
  return found
}

describe('encodePng', () => {
  const width = 7
  const height = 5
  const rgba = new Uint8Array(width * height * 4).map((_, i) => (i * 37 + 11) & 0xff)
  const png = encodePng(width, height, rgba)

  it('writes the signature, IHDR, IDAT and IEND with correct CRCs', () => {
    expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true)
    const list = chunks(png)
    expect(list.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'IEND'])
    for (const c of list) expect(c.crc).toBe(crc32(Buffer.from(c.type, 'latin1'), c.data))
    const ihdr = list[0].data
    expect(ihdr.length).toBe(13)
    expect([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)]).toEqual([width, height])
    expect([...ihdr.subarray(8)]).toEqual([8, 6, 0, 0, 0])
  })

  it('stores the pixels row by row with filter byte 0', () => {
    const raw = inflateSync(chunks(png)[1].data)
    expect(raw.length).toBe((width * 4 + 1) * height)
    for (let y = 0; y < height; y++) {
      const row = raw.subarray(y * (width * 4 + 1), (y + 1) * (width * 4 + 1))
      expect(row[0]).toBe(0)
      expect(Buffer.from(row.subarray(1)).equals(Buffer.from(rgba.subarray(y * width * 4, (y + 1) * width * 4)))).toBe(true)
    }
    expect(decodePng(png)).toEqual({ width, height, rgba })
  })

  it('uses the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926)
    expect(crc32(Buffer.from('IEND'))).toBe(0xae426082)
  })

  it('refuses a buffer of the wrong size, and decodePng refuses a corrupted chunk', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(RangeError)
    const corrupt = Buffer.from(png)
    corrupt[20] ^= 1 // inside IHDR's data
    expect(() => decodePng(corrupt)).toThrow(/IHDR has a bad CRC/)
    expect(() => decodePng(Buffer.from('not a png at all'))).toThrow(/signature/)
  })
})
