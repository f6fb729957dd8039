import cookie from '@fastify/cookie'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import websocket from '@fastify/websocket'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import { ErrorResponse, TaskMarketError, assertCleanInput, describeSchemaErrors, errorStatus } from '@taskmarket/core'
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify'
import type { Common } from './context.ts'
import { authRoutes } from './routes/auth.ts'
import { blobRoutes } from './routes/blobs.ts'
import { systemRoutes } from './routes/system.ts'
import { taskRoutes } from './routes/tasks.ts'
import { walletRoutes } from './routes/wallet.ts'
import { workerRoutes } from './routes/worker.ts'
import { liveRoutes } from './routes/live.ts'
import { statsRoutes } from './routes/stats.ts'
import { workRoutes } from './routes/work.ts'
import { pollRoutes } from './routes/polls.ts'
import { profileRoutes } from './routes/profiles.ts'
import { attachAuth, authBy } from './routes/authHook.ts'
import { attachRateLimit } from './routes/rateLimitHook.ts'
import { canonicalizeHexIds } from './routes/canonicalHex.ts'
import { documentPayloads } from './routes/documentPayloads.ts'

export type App = FastifyInstance
export type TypedApp = ReturnType<typeof typed>
const typed = (app: FastifyInstance) => app.withTypeProvider<TypeBoxTypeProvider>()

/**
 * Builds the Fastify app over `common`; never listens (server.ts does), so tests call `app.inject()`.
 */
export async function buildApp(common: Common) {
  const app = Fastify({
    loggerInstance: common.common.logger as FastifyBaseLogger,
    bodyLimit: 4 * 1024 * 1024,
    ajv: { customOptions: { allErrors: false, coerceTypes: 'array', useDefaults: true, removeAdditional: false }, plugins: [(await import('ajv-formats')).default as never] },
  })

  // Keep the raw JSON text: node signatures cover the exact bytes sent.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    ;(request as { rawBody?: string }).rawBody = body as string
    if (body === '') return done(null, undefined)
    try {
      done(null, JSON.parse(body as string))
    } catch {
      done(new TaskMarketError('VALIDATION', 'body: is not valid JSON', { field: 'body', details: { reason: 'is not valid JSON' } }), undefined)
    }
  })
  app.addContentTypeParser('*', (_request, _payload, done) => done(null))

  app.setErrorHandler((error: FastifyError & Partial<TaskMarketError>, request, reply) => {
    if (error instanceof TaskMarketError) {
      const status = errorStatus[error.code]
      if (status >= 500) request.log.error({ err: error }, error.message)
      if (error.code === 'RATE_LIMITED' && error.details?.retry_after) reply.header('retry-after', String(error.details.retry_after))
      return reply.status(status).send({
        statusCode: status,
        code: error.code,
        error: httpName(status),
        message: error.message,
        ...(error.field ? { field: error.field } : {}),
        ...(error.details?.reason ? { reason: String(error.details.reason) } : {}),
      })
    }
    if (error.validation) {
      const { field, reason } = describeSchemaErrors(error.validation as never)
      return reply.status(400).send({ statusCode: 400, code: 'VALIDATION', error: 'Bad Request', message: `${field}: ${reason}`, field, reason })
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status === 500) request.log.error({ err: error }, 'unhandled error')
    const code = status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 500 ? 'INTERNAL' : 'VALIDATION'
    return reply.status(status).send({ statusCode: status, code, error: httpName(status), message: status === 500 ? 'internal error' : error.message, ...(status === 413 ? { field: 'body', reason: error.message } : {}) })
  })

  // Strings no column can hold are refused by name before the schema or any handler sees them. A route's
  // body is walked only when the route declares one (blob uploads are bytes, whatever they contain).
  app.addHook('preValidation', async (request) => {
    assertCleanInput(request.params)
    assertCleanInput(request.query)
    if (request.routeOptions.schema?.body) assertCleanInput(request.body)
  })
  // Validation coerces query strings to numbers ("1e999" becomes Infinity): check what the handler will get.
  app.addHook('preHandler', async (request) => {
    assertCleanInput(request.query)
  })

  app.addHook('onResponse', async (request, reply) => {
    common.metrics.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unknown', status: reply.statusCode }, reply.elapsedTime / 1000)
  })

  await app.register(swagger, {
    transformObject: (documents) => documentPayloads('openapiObject' in documents ? (documents.openapiObject as never) : (documents.swaggerObject as never)),
    openapi: {
      info: { title: 'Task Market API', version: '0.1.0', description: 'A marketplace for verified work paid in an ERC-20 token.' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'tm_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'API key created in the web app (tm_...)' },
          node: { type: 'apiKey', in: 'header', name: 'x-node-signature', description: 'Worker node request signature' },
        },
      },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  await app.register(cookie)
  await app.register(websocket, { options: { maxPayload: 4096 } })
  app.addSchema(ErrorResponse)
  attachAuth(app, common)
  attachRateLimit(app, common.config.rateLimit)
  canonicalizeHexIds(app)

  const api = typed(app)
  await systemRoutes(api, common)
  await authRoutes(api, common)
  await blobRoutes(api, common)
  await taskRoutes(api, common)
  // The worker gateway (routes/worker.ts) takes node signatures on every route but the public node list.
  await app.register(async (gateway) => {
    gateway.addHook('onRoute', (route) => {
      if (!(route.method === 'GET' && route.url === '/nodes')) route.schema = { ...route.schema, security: authBy('node') }
    })
    await workerRoutes(typed(gateway), common)
  })
  await walletRoutes(api, common)
  await liveRoutes(api, common)
  await statsRoutes(api, common)
  await profileRoutes(api, common)
  await workRoutes(api, common)
  await pollRoutes(api, common)
  return app
}

function httpName(status: number) {
  return (
    { 400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 503: 'Service Unavailable' } as Record<number, string>
  )[status] ?? 'Internal Server Error'
}
