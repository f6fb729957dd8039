import { describe, expect, it } from 'vitest'
import { TaskMarketError } from './errors.ts'
import { HashPayload } from './api/kinds.ts'
import { MAX_INPUT_DEPTH, assertCleanInput, assertSchema, describeSchemaErrors } from './validation.ts'

const refusal = (value: unknown) => {
  try {
    assertCleanInput(value)
  } catch (error) {
    return { field: (error as TaskMarketError).field, reason: (error as TaskMarketError).details?.reason }
  }
}

describe('assertCleanInput', () => {
  it('names the field holding a NUL or a lone surrogate, at any depth and in keys', () => {
    expect(refusal({ payload: { title: 'a\u0000b' } })).toEqual({ field: 'payload.title', reason: 'contains a NUL character (U+0000)' })
    expect(refusal({ options: ['yes', 'n\ud800o'] })).toEqual({ field: 'options.1', reason: 'contains a lone UTF-16 surrogate (not valid Unicode)' })
    expect(refusal({ x: '\udc00' })).toMatchObject({ field: 'x' })
    expect(refusal({ payload: { 'k\u0000': 1 } })).toEqual({ field: 'payload', reason: 'has a key that contains a NUL character (U+0000)' })
    expect(refusal('\u0000')).toMatchObject({ field: 'body' })
  })

  it('refuses numbers that are not finite (JSON 1e999, a coerced query "Infinity")', () => {
    expect(refusal(JSON.parse('{"limit":1e999}'))).toEqual({ field: 'limit', reason: 'must be a finite number' })
    expect(refusal({ a: [Number.NaN] })).toMatchObject({ field: 'a.0' })
    expect(refusal({ a: -Infinity })).toMatchObject({ field: 'a' })
  })

  it('accepts well-formed Unicode, pairs of surrogates included', () => {
    expect(refusal({ a: 'grüße 👋 مرحبا', b: ['\ud83d\ude00'], c: 1e308, d: null, e: true })).toBeUndefined()
    expect(refusal(undefined)).toBeUndefined()
  })

  it('refuses nesting deeper than the limit without recursing', () => {
    const deep = (n: number) => {
      let v: unknown = 1
      for (let i = 0; i < n; i++) v = [v]
      return v
    }
    expect(refusal(deep(MAX_INPUT_DEPTH))).toBeUndefined()
    expect(refusal(deep(MAX_INPUT_DEPTH + 1))).toMatchObject({ reason: `is nested more than ${MAX_INPUT_DEPTH} levels deep` })
    expect(refusal(deep(100_000))).toMatchObject({ reason: `is nested more than ${MAX_INPUT_DEPTH} levels deep` })
  })
})

describe('describeSchemaErrors', () => {
  it('lists the allowed values of a union of literals and of an enum', () => {
    const literals = ['hash', 'poll'].map((v, i) => ({ keyword: 'const', instancePath: '/challenge_type', schemaPath: `#/anyOf/${i}`, params: { allowedValue: v } }))
    const anyOf = { keyword: 'anyOf', instancePath: '/challenge_type', params: {} }
    expect(describeSchemaErrors([...literals, anyOf])).toEqual({ field: 'challenge_type', reason: 'must be one of hash, poll' })
    expect(describeSchemaErrors([{ keyword: 'enum', instancePath: '/kind', params: { allowedValues: ['photo', 'signature'] } }], 'payload')).toEqual({ field: 'payload.kind', reason: 'must be one of photo, signature' })
    expect(describeSchemaErrors([{ keyword: 'const', instancePath: '/v', params: { allowedValue: 1 } }])).toEqual({ field: 'v', reason: 'must be 1' })
  })

  it('keeps the reason of other errors', () => {
    expect(describeSchemaErrors([{ keyword: 'required', instancePath: '', params: { missingProperty: 'reward' } }])).toEqual({ field: 'reward', reason: 'is required' })
    expect(describeSchemaErrors([])).toEqual({ field: 'body', reason: 'is invalid' })
  })

  it('lists them for a payload checked by TypeBox', () => {
    const refused = (() => { try { assertSchema(HashPayload, { input: 'a'.repeat(64), algorithm: 'md5' }, 'payload') } catch (error) { return error as TaskMarketError } })()
    expect(refused).toMatchObject({ field: 'payload.algorithm', details: { reason: 'must be one of sha256, sha512, sha3-256, blake2b512' } })
  })
})
