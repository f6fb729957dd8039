import { type Static, Type } from 'typebox'
import { Address, UnixSeconds, literals } from './common.ts'

export const NonceResponse = Type.Object({ nonce: Type.String({ description: 'Goes into the Sign-In with Ethereum message; used once' }) })
export type NonceResponse = Static<typeof NonceResponse>

export const SignedIn = Type.Object({ address: Address, expires_at: UnixSeconds })
export type SignedIn = Static<typeof SignedIn>

export const authMethods = ['session', 'api_key', 'node'] as const
export const Me = Type.Object({ address: Address, method: Type.Union(literals(authMethods)) })
export type Me = Static<typeof Me>

/** A new API key: `key` is shown this once, only its hash is kept. */
export const CreatedApiKey = Type.Object({ id: Type.String({ format: 'uuid' }), key: Type.String(), prefix: Type.String(), name: Type.String() })
export type CreatedApiKey = Static<typeof CreatedApiKey>

export const ApiKey = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart' }),
  created_at: UnixSeconds,
  last_used_at: Type.Union([UnixSeconds, Type.Null()]),
})
export type ApiKey = Static<typeof ApiKey>

export const ApiKeyList = Type.Object({ keys: Type.Array(ApiKey) })
export type ApiKeyList = Static<typeof ApiKeyList>
