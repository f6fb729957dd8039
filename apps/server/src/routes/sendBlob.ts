import { sniffInlineImageType } from '@taskmarket/core'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { BlobStore } from '../services/blobStore.ts'
import { bytesResponse, noBody } from './bytesResponse.ts'

/**
 * What a blob may do when a browser renders it: show an image, nothing else. `sandbox` gives the document
 * an opaque origin without scripts, so even a misread byte cannot act as the market.
 */
export const BLOB_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox"

/**
 * Declared types served as themselves (always as a download): none of them is markup, script or a style
 * sheet, so with nosniff no browser runs them. Anything else an uploader declares goes out as
 * application/octet-stream.
 */
const PLAIN_TYPES = new Set([
  'application/octet-stream', 'application/json', 'application/x-ndjson', 'application/wasm', 'application/gzip', 'application/zip',
  'application/x-tar', 'text/plain', 'text/csv', 'image/jpeg', 'image/png', 'image/gif', 'image/webp',
])

/**
 * What a route serving a blob through sendBlob answers: the whole blob (200) or one byte range of it (206),
 * as one of `mediaTypes` (by default any type sendBlob serves), or 416 for a range past its end.
 */
export function blobResponses(description: string, mediaTypes: readonly string[] = [...PLAIN_TYPES]) {
  return {
    200: bytesResponse(description, mediaTypes),
    206: bytesResponse('One byte range of it (Range: bytes=a-b or bytes=a-)', mediaTypes),
    416: noBody('The range starts past the end'),
  }
}

const SNIFF_BYTES = 12

/**
 * Sends a stored blob with the headers that keep uploaded bytes from running on the market's origin:
 * inline only as an image type sniffed from its own bytes, else a download of a plain type; always
 * nosniff and the sandboxing CSP. Serves one byte Range (`bytes=a-b` or `bytes=a-`).
 */
export async function sendBlob(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
  blob: { hash: string; size: number; contentType: string },
  cacheControl: string,
) {
  const image = sniffInlineImageType(await readHead(blobs, blob.hash))
  const declared = blob.contentType.toLowerCase()
  reply
    .header('content-type', image ?? (PLAIN_TYPES.has(declared) ? declared : 'application/octet-stream'))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', BLOB_CSP)
    .header('accept-ranges', 'bytes')
    .header('cache-control', cacheControl)
  if (!image) reply.header('content-disposition', 'attachment')
  const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''))
  if (range) {
    const start = Number(range[1])
    const end = range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1
    if (start > end) return reply.status(416).header('content-range', `bytes */${blob.size}`).send()
    reply.status(206).header('content-range', `bytes ${start}-${end}/${blob.size}`).header('content-length', end - start + 1)
    return reply.send(blobs.open(blob.hash, { start, end }))
  }
  reply.header('content-length', blob.size)
  return reply.send(blobs.open(blob.hash))
}

async function readHead(blobs: BlobStore, hash: string): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of blobs.open(hash, { start: 0, end: SNIFF_BYTES - 1 })) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}
