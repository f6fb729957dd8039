import fc from 'fast-check'

/** The part of JSON Schema that OpenAPI documents and TypeBox schemas use here. */
export type JsonSchema = {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  patternProperties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  minItems?: number
  maxItems?: number
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  enum?: unknown[]
  const?: unknown
  pattern?: string
  format?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  default?: unknown
}

/** Values that break servers: edge numbers, hostile and odd Unicode, wrong types, injection-looking text. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    null, true, false, 0, -1, 1, 1.5, -0.5, 2 ** 31, 2 ** 32, 2 ** 53 + 2, -(2 ** 63), 2 ** 64, 1e20, 1e308, -1e308, 5e-324, 1e-320, 1e-50,
    '', ' ', '0', '-1', '1e308', 'NaN', 'Infinity', 'null', 'true', '0x', '0x00', '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '\ufffe', '\u202e', '🎉', 'Z\u0301\u0302',
    '../../etc/passwd', '%00', "' OR 1=1 --", '$1', '{}', '<script>alert(1)</script>', 'a'.repeat(5000),
    [], {}, [[[[[]]]]], { __proto__: null, constructor: { prototype: 1 } }, [null], { '': 1 },
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
)

/** Real values the market holds (ids of its tasks, blob hashes, addresses), mixed into generated ones. */
export type Pools = { uuid: string[]; sha256: string[]; address: string[] }

const SHA256 = '^[0-9a-f]{64}$'
const ADDRESS = '^0x[0-9a-fA-F]{40}$'

/**
 * Generators of values for JSON schemas: `validValue` keeps to the schema (as far as its keywords go, with
 * the market's real ids where a uuid, blob hash or address is wanted), `fuzzValue` mostly breaks it.
 */
export function schemaFuzzer(pools: Pools) {
  const pooled = (real: string[], made: fc.Arbitrary<string>) => (real.length ? fc.oneof(made, fc.constantFrom(...real)) : made)

  /** Schema-valid values of `schema`, `depth` bounding recursion. */
  function validValue(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
    if (!schema || depth > 6) return fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null))
    if (schema.const !== undefined) return fc.constant(schema.const)
    if (schema.enum) return fc.constantFrom(...schema.enum)
    const alternatives = schema.anyOf ?? schema.oneOf
    if (alternatives) return fc.oneof(...alternatives.map((s) => validValue(s, depth + 1)))
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type
    switch (type) {
      case 'string':
        return stringOf(schema)
      case 'integer': {
        const min = schema.minimum ?? -1_000_000
        const max = schema.maximum ?? Math.max(min + 1_000_000, 1_000_000)
        return fc.oneof(fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) }), fc.constantFrom(min, max))
      }
      case 'number': {
        const min = schema.minimum ?? -1e6
        const max = schema.maximum ?? 1e6
        return fc.oneof(fc.double({ min, max, noNaN: true }), fc.constantFrom(min, max))
      }
      case 'boolean':
        return fc.boolean()
      case 'null':
        return fc.constant(null)
      case 'array':
        return fc.array(validValue(schema.items, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, (schema.minItems ?? 0) + 4) })
      case 'object':
      default:
        return objectOf(schema, depth)
    }
  }

  function stringOf(schema: JsonSchema): fc.Arbitrary<string> {
    if (schema.format === 'uuid') return pooled(pools.uuid, fc.uuid())
    if (schema.pattern === SHA256) return pooled(pools.sha256, fc.stringMatching(new RegExp(SHA256)))
    if (schema.pattern === ADDRESS) return pooled(pools.address, fc.stringMatching(new RegExp(ADDRESS)))
    if (schema.format === 'date') return fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
    if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length <= (schema.maxLength ?? 10_000))
    return fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 30, (schema.minLength ?? 0) + 30) })
  }

  function objectOf(schema: JsonSchema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties = schema.properties ?? {}
    const required = new Set(schema.required ?? [])
    const fields = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, validValue(s, depth + 1)]))
    const known = fc.record(fields, { requiredKeys: Object.keys(fields).filter((k) => required.has(k)) })
    const extra = schema.patternProperties ? Object.values(schema.patternProperties)[0] : typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined
    if (!extra && !Object.keys(properties).length) return fc.dictionary(fc.string({ maxLength: 8 }), validValue(undefined, depth + 1), { maxKeys: 3 })
    if (!extra) return known
    return fc.tuple(known, fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), validValue(extra, depth + 1), { maxKeys: 3 })).map(([a, b]) => ({ ...b, ...a }))
  }

  /** Mostly-valid values with a hostile twist, and plainly hostile ones: what a fuzzer sends for `schema`. */
  function fuzzValue(schema: JsonSchema | undefined): fc.Arbitrary<unknown> {
    const valid = validValue(schema)
    const how = fc.constantFrom('replace', 'remove', 'add') as fc.Arbitrary<'replace' | 'remove' | 'add'>
    return fc.oneof(
      { weight: 5, arbitrary: valid },
      { weight: 4, arbitrary: fc.tuple(valid, fc.nat(), how, nastyValue).map(([v, pick, h, nasty]) => mutate(v, pick, h, nasty)) },
      { weight: 1, arbitrary: nastyValue },
    )
  }

  return { validValue, fuzzValue }
}

/** Every path (keys and indexes) inside `value`, the root first. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out = [prefix]
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, Array.isArray(value) ? Number(k) : k]))
  }
  return out
}

/** `value` with the thing at one of its paths (chosen by `pick`) replaced, removed, or a key added beside it. */
export function mutate(value: unknown, pick: number, how: 'replace' | 'remove' | 'add', nasty: unknown): unknown {
  const all = paths(value)
  const path = all[pick % all.length]!
  if (!path.length) return how === 'add' && value && typeof value === 'object' && !Array.isArray(value) ? { ...value, unexpected: nasty } : nasty
  const copy = structuredClone(value) as any
  let parent = copy
  for (const key of path.slice(0, -1)) parent = parent[key]
  const last = path.at(-1)!
  if (how === 'remove' && !Array.isArray(parent)) delete parent[last]
  else if (how === 'add' && !Array.isArray(parent)) parent[`${String(last)}_extra`] = nasty
  else parent[last] = nasty
  return copy
}
