import { TaskMarketError } from '@taskmarket/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Common } from '../context.ts'
import type { Auth } from '../services/auth.ts'

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Auth
    rawBody?: string
  }
}

export const SESSION_COOKIE = 'tm_session'

/** Resolves who is calling once per request, from a node signature, an API key or the session cookie. */
export function attachAuth(app: FastifyInstance, common: Common) {
  app.decorateRequest('auth', undefined)
  app.addHook('preHandler', async (request) => {
    const h = request.headers
    if (h['x-node-signature']) {
      request.auth = await common.auth.fromNodeSignature(
        { address: String(h['x-node-address'] ?? ''), timestamp: String(h['x-node-timestamp'] ?? ''), signature: String(h['x-node-signature']) },
        request.method,
        request.url,
        request.rawBody ?? '',
      )
      return
    }
    const bearer = /^Bearer (tm_[A-Za-z0-9_-]+)$/.exec(String(h.authorization ?? ''))?.[1]
    if (bearer) {
      request.auth = await common.auth.fromApiKey(bearer)
      if (!request.auth) throw new TaskMarketError('UNAUTHENTICATED', 'authorization: unknown or revoked API key', { field: 'authorization', details: { reason: 'unknown or revoked API key' } })
      return
    }
    const token = request.cookies?.[SESSION_COOKIE]
    if (token) request.auth = await common.auth.fromSession(token)
  })
}

/** The caller, or a 401 saying how to authenticate. */
export function requireAuth(request: FastifyRequest, methods: Auth['method'][] = ['session', 'api_key', 'node']): Auth {
  const auth = request.auth
  if (!auth) throw new TaskMarketError('UNAUTHENTICATED', 'authorization: sign in, send an API key (Authorization: Bearer tm_…) or sign the request with a node key', { field: 'authorization', details: { reason: 'missing credentials' } })
  if (!methods.includes(auth.method)) {
    throw new TaskMarketError('FORBIDDEN', `authorization: this route takes ${methods.join(' or ')} credentials, not ${auth.method}`, { field: 'authorization', details: { reason: `needs ${methods.join(' or ')}` } })
  }
  return auth
}

export const errorResponses = {
  400: { $ref: 'ErrorResponse#' },
  401: { $ref: 'ErrorResponse#' },
  403: { $ref: 'ErrorResponse#' },
  404: { $ref: 'ErrorResponse#' },
} as const
