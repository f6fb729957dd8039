import { type Static, Type } from 'typebox'
import { ESCROW_DECIMALS, TOKEN_DECIMALS } from '../money.ts'

// Typed as viem's `0x${string}` so the SDK's derived types hand addresses and hashes straight to viem.
export const Address = Type.Unsafe<`0x${string}`>(Type.String({ pattern: '^0x[0-9a-fA-F]{40}$', description: 'An Ethereum address' }))
export const Hex32 = Type.Unsafe<`0x${string}`>(Type.String({ pattern: '^0x[0-9a-fA-F]{64}$', description: '32 bytes as 0x-prefixed hex' }))
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'sha256 of a blob, lowercase hex' })
/** A decimal token amount; how many decimals count is checked where it is parsed (parseTokens), so the 400 names the limit. */
export const TokenAmount = Type.String({
  pattern: '^(0|[1-9][0-9]{0,26})(\\.[0-9]{1,64})?$',
  description: `Token amount as a decimal string, e.g. "10.0" (at most ${TOKEN_DECIMALS} decimals)`,
  examples: ['10.0'],
})

/** What a task pays: a token amount the escrow can hold, in whole units of 10^-ESCROW_DECIMALS tokens. */
export const RewardAmount = Type.String({
  pattern: (TokenAmount as { pattern?: string }).pattern,
  description: `Reward in tokens as a decimal string, e.g. "10.0": at most ${ESCROW_DECIMALS} decimals (the escrow counts whole units of 10^-${ESCROW_DECIMALS} tokens)`,
  examples: ['10.0'],
})
export const UnixSeconds = Type.Integer({ minimum: 0, description: 'Unix time in seconds' })

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code, e.g. VALIDATION' }),
    error: Type.String(),
    message: Type.String(),
    field: Type.Optional(Type.String({ description: 'The input field the error is about' })),
    reason: Type.Optional(Type.String({ description: 'Why the field was refused' })),
  },
  { $id: 'ErrorResponse' },
)

/** What a route answers when it did what was asked and has nothing more to say. */
export const Ok = Type.Object({ ok: Type.Literal(true) })
export type Ok = Static<typeof Ok>

/** Most rows a list query skips: deeper pages are better reached by a filter than by scanning past rows. */
export const MAX_OFFSET = 100_000

export const Pagination = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })),
}

/** Pages of a person's own lists (assignments, disputes, blocks, history): up to 500 rows, 100 by default. */
export const ListPage = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_OFFSET, default: 0 })),
}

/** A union of string literals, typed so Static<> keeps them. */
export const literals = <const T extends readonly string[]>(values: T) =>
  values.map((v) => Type.Literal(v)) as { -readonly [K in keyof T]: ReturnType<typeof Type.Literal<T[K]>> }
