/** Image types accepted as photo or signature proofs, recognised by their first bytes (not by what the client claims). */
export type ImageType = 'image/jpeg' | 'image/png'

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** PNG chunks that carry pixels or colour; everything else (text, EXIF, time) is metadata and dropped. */
const PNG_KEEP = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND', 'tRNS', 'gAMA', 'cHRM', 'sRGB', 'sBIT', 'bKGD', 'pHYs'])

/** The image type of `bytes`, or undefined when they are neither JPEG nor PNG. */
export function sniffImageType(bytes: Uint8Array): ImageType | undefined {
  if (bytes.length > 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (bytes.length > 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'image/png'
  return undefined
}

/** Image types a browser may show inline from an uploaded blob; never SVG, which can carry script. */
export type InlineImageType = ImageType | 'image/gif' | 'image/webp'

const ascii = (bytes: Uint8Array, start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end))

/** The inline image type of `bytes` (JPEG, PNG, GIF, WebP) by their first 12 bytes, or undefined. */
export function sniffInlineImageType(bytes: Uint8Array): InlineImageType | undefined {
  const image = sniffImageType(bytes)
  if (image) return image
  if (bytes.length > 6 && /^GIF8[79]a$/.test(ascii(bytes, 0, 6))) return 'image/gif'
  if (bytes.length > 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'image/webp'
  return undefined
}

/**
 * Returns the image without its metadata (JPEG APP1–APP15 and comments: EXIF, XMP, GPS, camera; PNG text,
 * EXIF and time chunks), pixels untouched. The proof's time and place are kept separately, as stamps.
 * Throws a RangeError on a truncated or malformed file.
 */
export function stripImageMetadata(bytes: Uint8Array): Uint8Array {
  const type = sniffImageType(bytes)
  if (type === 'image/jpeg') return stripJpeg(bytes)
  if (type === 'image/png') return stripPng(bytes)
  throw new RangeError('not a JPEG or PNG image')
}

function stripJpeg(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 2)]
  let i = 2
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw new RangeError(`malformed JPEG at byte ${i}`)
    const marker = bytes[i + 1]!
    if (marker === 0xda) {
      parts.push(bytes.subarray(i)) // start of scan: the compressed image runs to the end
      return concat(parts)
    }
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!
    if (length < 2 || i + 2 + length > bytes.length) throw new RangeError('truncated JPEG segment')
    const metadata = (marker >= 0xe1 && marker <= 0xef) || marker === 0xfe
    if (!metadata) parts.push(bytes.subarray(i, i + 2 + length))
    i += 2 + length
  }
  throw new RangeError('JPEG without image data')
}

function stripPng(bytes: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [bytes.subarray(0, 8)]
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let i = 8
  while (i + 12 <= bytes.length) {
    const length = view.getUint32(i)
    const type = String.fromCharCode(...bytes.subarray(i + 4, i + 8))
    const end = i + 12 + length
    if (end > bytes.length) throw new RangeError('truncated PNG chunk')
    if (PNG_KEEP.has(type)) parts.push(bytes.subarray(i, end))
    i = end
    if (type === 'IEND') return concat(parts)
  }
  throw new RangeError('PNG without IEND')
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
