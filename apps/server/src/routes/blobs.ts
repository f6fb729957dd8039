import { Readable } from 'node:stream'
import { Type } from 'typebox'
import { TaskMarketError } from '@taskmarket/core'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { errorResponses, requireAuth } from './authHook.ts'

const HashParams = Type.Object({ hash: Type.String({ pattern: '^[0-9a-f]{64}$' }) })

export async function blobRoutes(app: TypedApp, common: Common) {
  app.put(
    '/blobs',
    {
      bodyLimit: common.config.maxUploadBytes,
      schema: {
        tags: ['blobs'],
        summary: 'Upload a blob (streamed; content addressed by sha256)',
        response: { 200: Type.Object({ hash: Type.String(), size: Type.Integer(), content_type: Type.String() }), ...errorResponses },
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

  app.get('/blobs/:hash', { schema: { tags: ['blobs'], summary: 'Download a blob; supports a single byte Range', params: HashParams } }, async (request, reply) => {
    const info = await common.blobs.info(request.params.hash)
    if (!info || info.private) throw new TaskMarketError('NOT_FOUND', 'hash: no such blob', { field: 'hash', details: { reason: 'no such blob' } })
    reply.header('content-type', info.content_type).header('accept-ranges', 'bytes').header('cache-control', 'public, max-age=31536000, immutable')
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(request.headers.range ?? ''))
    if (range) {
      const start = Number(range[1])
      const end = range[2] ? Math.min(Number(range[2]), info.size - 1) : info.size - 1
      if (start > end) return reply.status(416).header('content-range', `bytes */${info.size}`).send()
      reply.status(206).header('content-range', `bytes ${start}-${end}/${info.size}`).header('content-length', end - start + 1)
      return reply.send(common.blobs.open(info.hash, { start, end }))
    }
    reply.header('content-length', info.size)
    return reply.send(common.blobs.open(info.hash))
  })
}
