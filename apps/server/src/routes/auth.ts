import { ApiKeyList, CreatedApiKey, Me, NonceResponse, Ok, SignedIn } from '@taskmarket/core'
import { Type } from 'typebox'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { listApiKeys, revokeApiKey } from '../repositories/apiKeys.ts'
import { SESSION_COOKIE, authBy, errorResponses, requireAuth } from './authHook.ts'

export async function authRoutes(app: TypedApp, common: Common) {
  app.get('/auth/nonce', { schema: { tags: ['auth'], summary: 'A fresh nonce for a Sign-In with Ethereum message', response: { 200: NonceResponse } } }, async () => ({
    nonce: await common.auth.issueNonce(),
  }))

  app.post(
    '/auth/verify',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a signed EIP-4361 message; sets an HTTP-only session cookie',
        body: Type.Object({ message: Type.String({ maxLength: 4000 }), signature: Type.String({ pattern: '^0x[0-9a-fA-F]+$', maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: SignedIn, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await common.auth.signIn(request.body.message, request.body.signature as `0x${string}`)
      reply.setCookie(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', path: '/', expires: session.expires, secure: common.config.publicUrl.startsWith('https:') })
      return { address: session.address, expires_at: Math.floor(session.expires.getTime() / 1000) }
    },
  )

  app.post('/auth/logout', { schema: { tags: ['auth'], summary: 'End the session', response: { 200: Ok } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token) await common.auth.signOut(token)
    reply.clearCookie(SESSION_COOKIE, { path: '/' })
    return { ok: true as const }
  })

  app.get('/auth/me', { schema: { security: authBy('session', 'api_key', 'node'), tags: ['auth'], summary: 'Who is signed in', response: { 200: Me, ...errorResponses } } }, async (request) => {
    const auth = requireAuth(request)
    return { address: auth.address, method: auth.method }
  })

  app.post(
    '/api-keys',
    {
      schema: {
        security: authBy('session'),
        tags: ['auth'],
        summary: 'Create an API key (shown once)',
        body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false }),
        response: { 200: CreatedApiKey, ...errorResponses },
      },
    },
    async (request) => common.auth.createApiKey(requireAuth(request).address, request.body.name),
  )

  app.get('/api-keys', { schema: { security: authBy('session'), tags: ['auth'], summary: 'Your API keys', response: { 200: ApiKeyList, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    return { keys: await listApiKeys(common.db, address) }
  })

  app.delete('/api-keys/:id', { schema: { security: authBy('session'), tags: ['auth'], summary: 'Revoke an API key', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 200: Ok, ...errorResponses } } }, async (request, reply) => {
    const { address } = requireAuth(request)
    if (!(await revokeApiKey(common.db, { id: request.params.id, address }))) return reply.status(404).send({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'id: no such key of yours', field: 'id', reason: 'no such key' })
    return { ok: true as const }
  })
}
