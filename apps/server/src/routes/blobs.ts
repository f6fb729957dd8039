import { Readable } from 'node:stream'
import { Type } from 'typebox'
import { BlobInfo, TaskMarketError } from '@taskmarket/core'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'
import { blobResponses, sendBlob } from './sendBlob.ts'

const HashParams = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) })

export async function blobRoutes(app: TypedApp, common: Common) {
  app.put(
    '/blobs',
    {
      bodyLimit: common.config.maxUploadBytes,
      schema: {
        security: authBy('session', 'api_key', 'node'),
        tags: ['blobs'],
        summary: 'Upload a blob (streamed; content addressed by sha256)',
        response: { 200: BlobInfo, ...errorResponses },
      },
    },
    async (request) => {
      const auth = requireAuth(request)
      const declared = Number(request.headers['content-length'] ?? 0)
      if (declared > common.config.maxUploadBytes) {
        throw new TaskMarketError('PAYLOAD_TOO_LARGE', `body: ${declared} bytes is more than the limit of ${common.config.maxUploadBytes}`, { field: 'body', details: { reason: `larger than ${common.config.maxUploadBytes} bytes` } })
      }
      const contentType = String(request.headers['x-blob-content-type'] ?? request.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.slice(0, 200)
      // JSON bodies were already read (and kept as text) by the JSON parser; everything else streams.
      const source = request.rawBody !== undefined ? Readable.from([Buffer.from(request.rawBody)]) : request.raw
      return common.blobs.put(source, { contentType, uploader: auth.address })
    },
  )

  app.get('/blobs/:hash', { schema: { tags: ['blobs'], summary: 'Download a blob; supports a single byte Range. Inline only as an image sniffed from its bytes, else as an attachment', params: HashParams, response: { ...blobResponses('The blob’s bytes'), ...errorResponses } } }, async (request, reply) => {
    const info = await common.blobs.info(request.params.hash)
    if (!info || info.private) throw new TaskMarketError('NOT_FOUND', 'hash: no such blob', { field: 'hash', details: { reason: 'no such blob' } })
    return sendBlob(request, reply, common.blobs, { hash: info.hash, size: info.size, contentType: info.content_type }, 'public, max-age=31536000, immutable')
  })
}
