import type { FastifyInstance } from 'fastify'

const HEX32 = /^0x[0-9a-fA-F]{64}$/

/**
 * Writes every 32-byte hex value of a request (task, job and batch ids, digests, seals) in lower case
 * before validation: the database compares them as text, so `0xAB…` and `0xab…` must be one id. Addresses
 * keep their checksum case (they are compared through getAddress); the signed raw body is untouched.
 */
export function canonicalizeHexIds(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    request.body = lowerHex(request.body)
    request.query = lowerHex(request.query)
    request.params = lowerHex(request.params)
  })
}

function lowerHex(value: unknown, depth = 0): any {
  if (typeof value === 'string') return HEX32.test(value) ? value.toLowerCase() : value
  if (depth > 32 || value === null || typeof value !== 'object') return value
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = lowerHex(value[i], depth + 1)
    return value
  }
  for (const key of Object.keys(value)) (value as Record<string, unknown>)[key] = lowerHex((value as Record<string, unknown>)[key], depth + 1)
  return value
}
