import { Type } from 'typebox'

/**
 * A response of bytes rather than JSON, for a route's schema: each media type with a binary string
 * schema. It documents the route (OpenAPI); Fastify sends the handler's stream or text as it is.
 * @example response: { 200: bytesResponse('The PNG', ['image/png']) }
 */
export function bytesResponse(description: string, mediaTypes: readonly string[]) {
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) }
}

/** A response without a body (204, 416): `type: 'null'` is how @fastify/swagger documents one; sent as `send()`. */
export const noBody = (description: string) => Type.Unsafe<undefined>(Type.Null({ description }))
