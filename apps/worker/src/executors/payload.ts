import { ExecutorError } from './types.ts'

/** A job payload being read field by field; every failure names the field (`tile.width`). */
export type PayloadReader = {
  /** The raw value of a field (undefined when absent). */
  raw(field: string): unknown
  /** An integer in [min, max]; `fallback` when absent, if given. */
  integer(field: string, min: number, max: number, fallback?: number): number
  /** A sha256 hex digest naming a blob (64 lowercase hex digits). */
  blobHash(field: string): string
  /** One of a fixed set of strings. */
  oneOf<const T extends string>(field: string, values: readonly T[]): T
  /** A string matching `pattern`; `expected` says in words what was expected. */
  string(field: string, pattern: RegExp, expected: string): string
  /** A nested object, read with the same rules and its fields prefixed by this field's name. */
  object(field: string): PayloadReader
  /** The `offset` and `length` fields of a byte range, `length` at most `maxLength`. */
  range(maxLength: number): { offset: number; length: number }
}

/**
 * Reads a job payload that must be a JSON object.
 * @example const p = readPayload(payload); const size = p.integer('matrix_size', 1, 512)
 */
export function readPayload(payload: unknown, prefix = ''): PayloadReader {
  const name = (field: string) => prefix + field
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalid(prefix ? prefix.slice(0, -1) : 'payload', 'must be a JSON object')
  }
  const record = payload as Record<string, unknown>
  const raw = (field: string) => (Object.hasOwn(record, field) ? record[field] : undefined)

  return {
    raw,
    integer(field, min, max, fallback) {
      const value = raw(field)
      if (value === undefined && fallback !== undefined) return fallback
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
        throw invalid(name(field), `must be an integer from ${min} to ${max}`, value)
      }
      return value
    },
    blobHash(field) {
      const value = raw(field)
      if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) {
        throw invalid(name(field), 'must be a blob hash: 64 lowercase hexadecimal digits (sha256)', value)
      }
      return value
    },
    oneOf(field, values) {
      const value = raw(field)
      if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
        throw invalid(name(field), `must be one of ${values.map((v) => `'${v}'`).join(', ')}`, value)
      }
      return value as (typeof values)[number]
    },
    string(field, pattern, expected) {
      const value = raw(field)
      if (typeof value !== 'string' || !pattern.test(value)) throw invalid(name(field), `must be ${expected}`, value)
      return value
    },
    object(field) {
      return readPayload(raw(field), `${name(field)}.`)
    },
    range(maxLength) {
      const length = this.integer('length', 0, maxLength)
      return { offset: this.integer('offset', 0, Number.MAX_SAFE_INTEGER - length), length }
    },
  }
}

/** The error for a payload field that is missing, of the wrong type or out of range. */
export function invalid(field: string, reason: string, value?: unknown): ExecutorError {
  const got = value === undefined ? 'it is missing' : `got ${describe(value)}`
  return new ExecutorError('INVALID_PAYLOAD', `${field} ${reason}; ${got}`, { field })
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
