import { TaskMarketError } from '@taskmarket/core'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { getAddress } from 'viem'
import type { Common } from '../context.ts'
import type { Auth } from '../services/auth.ts'

declare module 'fastify' {
  interface FastifyRequest {
    auth?: Auth
    rawBody?: string
  }
}

export const SESSION_COOKIE = 'tm_session'

/** The OpenAPI security scheme of each way of signing in (the securitySchemes of app.ts). */
const schemeOf = { session: 'session', api_key: 'apiKey', node: 'node' } as const satisfies Record<Auth['method'], string>
const methodOf = Object.fromEntries(Object.entries(schemeOf).map(([method, scheme]) => [scheme, method])) as Record<string, Auth['method']>

/**
 * A route's `security`: the credentials it takes, any one of them. Declaring it is what makes the route
 * need them (checked before the body is validated) and what puts the padlock on it in /docs.
 * @example schema: { security: authBy('session', 'api_key'), ... }
 */
export function authBy(...methods: Auth['method'][]) {
  return methods.map((m) => ({ [schemeOf[m]]: [] as string[] }))
}

/** The methods a route's declared `security` accepts; undefined for a public route. */
function declaredMethods(request: FastifyRequest): Auth['method'][] | undefined {
  const security = request.routeOptions.schema?.security
  return security?.length ? security.flatMap((requirement) => Object.keys(requirement).map((scheme) => methodOf[scheme]!)) : undefined
}

/**
 * Resolves who is calling once per request, from a node signature, an API key or the session cookie, and
 * refuses a route's missing or wrong credentials before its input is validated.
 */
export function attachAuth(app: FastifyInstance, common: Common) {
  app.decorateRequest('auth', undefined)
  app.addHook('preValidation', async (request) => {
    await resolve(request)
    const methods = declaredMethods(request)
    if (methods) requireAuth(request, methods)
  })

  async function resolve(request: FastifyRequest) {
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
  }
}

const howTo: Record<Auth['method'], string> = {
  session: 'sign in (Sign-In with Ethereum in the web app, or POST /auth/verify)',
  api_key: 'send an API key (Authorization: Bearer tm_…)',
  node: 'sign the request with a node key (taskmarket worker does)',
}

/**
 * The caller, or a 401 saying how to authenticate (a 403 for credentials the route does not take). The
 * methods default to the route's declared `security`; a route calling this without declaring one is a bug.
 */
export function requireAuth(request: FastifyRequest, methods: Auth['method'][] | undefined = declaredMethods(request)): Auth {
  if (!methods) throw new TaskMarketError('INTERNAL', `${request.method} ${request.routeOptions.url} needs credentials but declares no security`)
  const auth = request.auth
  if (!auth) throw new TaskMarketError('UNAUTHENTICATED', `authorization: ${methods.map((m) => howTo[m]).join(', or ')}`, { field: 'authorization', details: { reason: 'missing credentials' } })
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

/** Whether `address` is the market's operator, who clears reviews, vouches for nodes and resolves disputes. */
export function isOperator(common: Common, address: string): boolean {
  return getAddress(address) === getAddress(common.chain.operator.address)
}
