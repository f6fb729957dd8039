import type { TSchema } from 'typebox'
import Value from 'typebox/value'
import { invalid } from './errors.ts'

type SchemaError = { keyword: string; instancePath: string; params: Record<string, unknown>; message?: string }

/** Turns one JSON-schema error (ajv or TypeBox) into the dotted field it concerns and a readable reason. */
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
  const { field, reason } = best ? describeSchemaError(best, prefix) : { field: prefix, reason: 'is invalid' }
  throw invalid(field, reason)
}
