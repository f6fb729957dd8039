import { inflateSync } from 'node:zlib'
import { crc32 } from './crc32.ts'
import { PNG_SIGNATURE } from './encodePng.ts'

/**
 * Decodes an 8-bit RGBA, non-interlaced PNG (what `encodePng` writes, with any of the five row filters),
 * checking the signature and every chunk's CRC. For comparing images by their pixels.
 */
export function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG: bad signature')
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  let offset = 8
  let ended = false
  while (!ended) {
    if (offset + 12 > buf.length) throw new Error('PNG truncated')
    const length = buf.readUInt32BE(offset)
    const type = buf.toString('latin1', offset + 4, offset + 8)
    const data = buf.subarray(offset + 8, offset + 8 + length)
    if (data.length !== length || offset + 12 + length > buf.length) throw new Error(`PNG chunk ${type} truncated`)
    const crc = buf.readUInt32BE(offset + 8 + length)
    if (crc !== crc32(buf.subarray(offset + 4, offset + 8), data)) throw new Error(`PNG chunk ${type} has a bad CRC`)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 8 || data[9] !== 6 || data[12] !== 0) throw new Error('only 8-bit RGBA non-interlaced PNGs are supported')
    } else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') ended = true
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = width * 4
  if (raw.length !== (stride + 1) * height) throw new Error('PNG image data has the wrong size')
  const rgba = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    const out = y * stride
    for (let i = 0; i < stride; i++) {
      const a = i >= 4 ? rgba[out + i - 4] : 0
      const b = y > 0 ? rgba[out - stride + i] : 0
      const c = i >= 4 && y > 0 ? rgba[out - stride + i - 4] : 0
      let predictor: number
      if (filter === 0) predictor = 0
      else if (filter === 1) predictor = a
      else if (filter === 2) predictor = b
      else if (filter === 3) predictor = (a + b) >> 1
      else if (filter === 4) predictor = paeth(a, b, c)
      else throw new Error(`PNG row ${y} has unknown filter ${filter}`)
      rgba[out + i] = (line[i] + predictor) & 0xff
    }
  }
  return { width, height, rgba }
}

function paeth(a: number, b: number, c: number) {
  const p = a + b - c
  const pa = Math.abs(p - a)
  const pb = Math.abs(p - b)
  const pc = Math.abs(p - c)
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c
}
