import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { invalid } from './errors.ts'

type SchemaError = { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }

/**
 * Turns the errors of one failed JSON-schema check (ajv's or TypeBox's, the first being the one to report)
 * into the dotted field it concerns and a readable reason. A value outside an enum or a union of literals
 * lists the allowed values, which both validators report as one `const` error per branch.
 * @example describeSchemaErrors(errors) // { field: 'challenge_type', reason: 'must be one of hash, synthetic, …' }
 */
export function describeSchemaErrors(errors: readonly SchemaError[], prefix = ''): { field: string; reason: string } {
  const first = errors[0]
  if (!first) return { field: prefix || 'body', reason: 'is invalid' }
  const described = describeSchemaError(first, prefix)
  if (first.keyword !== 'const' && first.keyword !== 'anyOf' && first.keyword !== 'enum') return described
  const here = errors.filter((e) => e.instancePath === first.instancePath)
  const allowed = here.flatMap((e) => (e.keyword === 'const' ? [e.params.allowedValue] : e.keyword === 'enum' ? ((e.params.allowedValues as unknown[]) ?? []) : []))
  if (!allowed.length) return described
  const unique = [...new Set(allowed)].map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
  return { field: described.field, reason: unique.length === 1 ? `must be ${unique[0]}` : `must be one of ${unique.join(', ')}` }
}

/** Turns one JSON-schema error into the dotted field it concerns and a readable reason. */
export function describeSchemaError(error: SchemaError, prefix = ''): { field: string; reason: string } {
  const path = error.instancePath.split('/').filter(Boolean)
  const params = error.params
  let reason = error.message ?? 'is invalid'
  if (error.keyword === 'required') {
    const missing = (params.missingProperty ?? (params.requiredProperties as string[] | undefined)?.[0]) as string
    path.push(missing)
    reason = 'is required'
  } else if (error.keyword === 'additionalProperties') {
    const extra = (params.additionalProperty ?? (params.additionalProperties as string[] | undefined)?.[0]) as string | undefined
    if (extra) path.push(extra)
    reason = 'is not a known field'
  } else if (error.keyword === 'pattern') {
    reason = `must match ${params.pattern}`
  } else if (error.keyword === 'enum' || error.keyword === 'anyOf' || error.keyword === 'const') {
    reason = 'is not one of the allowed values'
  }
  const field = [prefix, ...path].filter(Boolean).join('.')
  return { field: field || prefix || 'body', reason }
}

/** Validates `value` against `schema`, throwing a VALIDATION error that names the first bad field. */
export function assertSchema(schema: TSchema, value: unknown, prefix: string): void {
  if (Value.Check(schema, value)) return
  const errors = [...Value.Errors(schema, value)] as SchemaError[]
  // Prefer the deepest, most specific error over a generic union/object one.
  const best = errors.find((e) => e.keyword !== 'boolean' && e.instancePath !== '') ?? errors.find((e) => e.keyword !== 'boolean') ?? errors[0]
  const { field, reason } = best ? describeSchemaErrors([best, ...errors.filter((e) => e !== best)], prefix) : { field: prefix, reason: 'is invalid' }
  throw invalid(field, reason)
}

/** Deepest nesting of arrays and objects accepted in a request (PostgreSQL's JSON parser has a limit too). */
export const MAX_INPUT_DEPTH = 32

/**
 * Refuses, with a VALIDATION error naming the field, input that no column can hold: a string or key with a
 * NUL character (PostgreSQL refuses U+0000 in text and jsonb) or a lone UTF-16 surrogate (not Unicode), a
 * number that is not finite (JSON's 1e999 parses to Infinity, and so does a query's "1e999" coerced to a
 * number), or nesting deeper than MAX_INPUT_DEPTH. Walks parsed JSON, query strings and path parameters alike.
 * @example assertCleanInput({ payload: { title: 'a\u0000' } }) // throws "payload.title: contains a NUL character (U+0000)"
 */
export function assertCleanInput(value: unknown, prefix = ''): void {
  const stack: [unknown, string, number][] = [[value, prefix, 0]]
  while (stack.length) {
    const [v, path, depth] = stack.pop()!
    const field = path || 'body'
    if (typeof v === 'string') {
      const bad = badText(v)
      if (bad) throw invalid(field, `contains ${bad}`)
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw invalid(field, 'must be a finite number')
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_INPUT_DEPTH) throw invalid(field, `is nested more than ${MAX_INPUT_DEPTH} levels deep`)
      for (const [key, item] of Object.entries(v)) {
        const bad = badText(key)
        if (bad) throw invalid(field, `has a key that contains ${bad}`)
        stack.push([item, path ? `${path}.${key}` : key, depth + 1])
      }
    }
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function badText(s: string): string | undefined {
  if (s.includes('\0')) return 'a NUL character (U+0000)'
  if (LONE_SURROGATE.test(s)) return 'a lone UTF-16 surrogate (not valid Unicode)'
  return undefined
}
