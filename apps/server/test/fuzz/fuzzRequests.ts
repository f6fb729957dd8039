import { payloadSchemas } from '@taskmarket/core'
import { encodePng } from '@taskmarket/pathtracer'
import fc from 'fast-check'
import { type JsonSchema, type Pools, nastyValue, schemaFuzzer } from './schemaArbitrary.ts'

/** Who a fuzzed request claims to be; the `bad…` and `node…` variants are broken on purpose. */
export const authModes = [
  'anonymous', 'poster-session', 'worker-session', 'poster-key', 'node', 'unstaked-node',
  'bad-cookie', 'bad-key', 'bad-authorization', 'node-wrong-signer', 'node-stale', 'node-garbage', 'node-no-address',
] as const
export type AuthMode = (typeof authModes)[number]

/** One request as the fuzzer sends it: the exact bytes of its path, headers and body. */
export type FuzzRequest = {
  route: string
  method: string
  /** Path and query, percent-encoded as sent (and as a node signs it). */
  url: string
  contentType?: string
  /** Text or bytes; 'oversize' is built when sent (a few MiB). */
  body?: string | Uint8Array | { oversize: number }
  auth: AuthMode
}

type Operation = { parameters?: { in: string; name: string; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema }> } }
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>> }

/** Path segments that have broken routers and decoders. */
const hostileSegments = ['%00', '%ED%A0%80', '%C0%AF', '%2e%2e', '..', '%', '%zz', '%252e', 'a'.repeat(3000), '%F0%9F%8E%89', '0', '-1', '1e308', 'null', '%20', '%0d%0aX-Injected:%201']
/** Raw query text appended as is. */
const hostileQueries = ['limit=1e999', 'offset=Infinity', 'limit=NaN', 'offset=-0', 'limit=1&limit=2', 'x=%ED%A0%80', 'status=%00', 'a[b]=1', '%', '=&=&', 'limit=0x10', 'offset=9007199254740993', 'limit=%20']
/** JSON numbers JSON.stringify never writes: Infinity, underflow, -0, digits past any integer. */
const oddNumbers = ['1e999', '-1e999', '1e-999', '-0', '0.0000000000000000000000000000000001', '123456789012345678901234567890', '4.9e-324', '1E+2']

/** Encodes a path segment or query value byte by byte, so lone surrogates go out too (as U+FFFD). */
export function encode(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
}

const text = (value: unknown) => (typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value) ?? String(value))

/**
 * Requests for every operation of an OpenAPI document: real and random path parameters, fuzzed query
 * strings and bodies (schema-valid, mutated, hostile, malformed JSON, wrong content types, oversize), each
 * with one of the auth modes. Task payloads are drawn from each kind's payload schema.
 */
export function requestArbitrary(doc: OpenApiDocument, pools: Pools & { paramValues: Record<string, string[]> }): fc.Arbitrary<FuzzRequest> {
  const { fuzzValue, validValue } = schemaFuzzer(pools)
  const routes: fc.Arbitrary<FuzzRequest>[] = []
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) routes.push(operationArbitrary(path, method.toUpperCase(), op))
  }
  // Routes the document does not list: unknown ones and the hidden system routes.
  for (const [method, path] of [['GET', '/healthz'], ['GET', '/metrics'], ['GET', '/no/such/route'], ['POST', '/tasks/{id}'], ['PATCH', '/tasks']]) routes.push(operationArbitrary(path!, method!, {}))
  return fc.oneof(...routes)

  function operationArbitrary(path: string, method: string, op: Operation): fc.Arbitrary<FuzzRequest> {
    const params = (op.parameters ?? []).filter((p) => p.in === 'path')
    const queries = (op.parameters ?? []).filter((p) => p.in === 'query')
    const segment = (name: string, schema: JsonSchema) =>
      fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...(pools.paramValues[name] ?? ['x'])) },
        { weight: 3, arbitrary: fuzzValue(schema).map((v) => encode(text(v))) },
        { weight: 1, arbitrary: fc.constantFrom(...hostileSegments) },
      )
    const pathArb = fc.tuple(...params.map((p) => segment(p.name, p.schema)), fc.constant('')).map((values) => {
      let i = 0
      return path.replace(/\{[^}]+\}/g, () => values[i++] as string)
    })
    const queryArb = fc
      .tuple(
        fc.tuple(...queries.map((q) => fc.option(fc.oneof({ weight: 4, arbitrary: validValue(q.schema) }, { weight: 1, arbitrary: fuzzValue(q.schema) }).map((v) => `${q.name}=${encode(text(v))}`), { freq: 2 })), fc.constant(null)),
        fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...hostileQueries) }),
      )
      .map(([parts, hostile]) => [...parts.filter((p): p is string => !!p), ...(hostile ? [hostile] : [])].join('&'))
    const bodyArb = bodyArbitrary(path, method, op)
    // Mostly the credentials the route is for, so that requests get past auth to the handler's own checks.
    const usual: AuthMode[] = /^\/(jobs|nodes\/register|tasks\/(next|complete))/.test(path) ? ['node'] : ['poster-session', 'poster-key', 'worker-session']
    const auth = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...usual) }, { weight: 2, arbitrary: fc.constantFrom(...authModes) })
    return fc.record({ path: pathArb, query: queryArb, body: bodyArb, auth }).map(({ path: p, query, body, auth }) => ({
      route: `${method} ${path}`,
      method,
      url: query ? `${p}?${query}` : p,
      ...body,
      auth,
    }))
  }

  function bodyArbitrary(path: string, method: string, op: Operation): fc.Arbitrary<Pick<FuzzRequest, 'body' | 'contentType'>> {
    const json = (value: fc.Arbitrary<unknown>) => value.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' }))
    let schema = op.requestBody?.content['application/json']?.schema
    if (schema && (path === '/tasks' || path === '/tasks/orders')) {
      // Each kind with a payload of its own shape and a deadline ahead, so posting gets past the envelope
      // to the planner, the funds check and the outbox.
      const envelope = schema
      const now = Math.floor(Date.now() / 1000)
      const deadline = { type: 'integer', minimum: now + 3600, maximum: now + 30 * 86_400 }
      const small = { type: 'string', pattern: '^[1-9](\\.[0-9]{1,3})?$' }
      schema = {
        anyOf: Object.entries(payloadSchemas).flatMap(([kind, payload]): JsonSchema[] => [
          { ...envelope, properties: { ...envelope.properties, challenge_type: { const: kind }, payload: payload as JsonSchema, deadline } },
          { type: 'object', required: ['challenge_type', 'payload', 'reward'], properties: { challenge_type: { const: kind }, payload: payload as JsonSchema, reward: small, deadline } },
        ]),
      }
    }
    const oddJson = fc.tuple(fuzzValue(schema), fc.constantFrom(...oddNumbers), fc.nat()).map(([v, odd, pick]) => {
      const textBody = JSON.stringify(v) ?? 'null'
      const numbers = [...textBody.matchAll(/-?\d+(\.\d+)?([eE][+-]?\d+)?/g)]
      const at = numbers[pick % Math.max(1, numbers.length)]
      return { contentType: 'application/json', body: at ? textBody.slice(0, at.index) + odd + textBody.slice(at.index! + at[0].length) : odd }
    })
    const broken = fc.oneof(
      fc.tuple(fuzzValue(schema), fc.nat()).map(([v, cut]) => {
        const t = JSON.stringify(v) ?? 'null'
        return { contentType: 'application/json', body: t.slice(0, cut % Math.max(1, t.length)) }
      }),
      fc.constantFrom('', '{', '{"a":', 'nul', '[1,]', '{"a":1,"a":2}', '\u0000', '"\\ud800"', '{"__proto__":{"admin":true}}', `${'['.repeat(10_000)}${']'.repeat(10_000)}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`).map((body) => ({ contentType: 'application/json', body })),
      fc.tuple(fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'application/xml', ''), fuzzValue(schema)).map(([contentType, v]) => ({ contentType, body: text(v) })),
    )
    const oversize = fc.constant({ contentType: 'application/json', body: { oversize: 5 * 1024 * 1024 } })
    if (schema) {
      return fc.oneof(
        { weight: 24, arbitrary: json(fuzzValue(schema)) },
        { weight: 4, arbitrary: oddJson },
        { weight: 6, arbitrary: broken },
        { weight: 2, arbitrary: fc.constant({}) },
        { weight: 1, arbitrary: oversize },
      )
    }
    if (method === 'PUT') {
      // Uploads (blobs, proof photos): bytes, images, JSON with any strings inside, more than the limit.
      return fc.oneof(
        fc.uint8Array({ maxLength: 2048 }).map((body) => ({ contentType: 'application/octet-stream', body })),
        fc.constant({ contentType: 'image/png', body: encodePng(2, 2, new Uint8Array(16).fill(7)) }),
        nastyValue.map((v) => ({ contentType: 'application/json', body: JSON.stringify(v) ?? 'null' })),
        fc.constant({ contentType: 'application/octet-stream', body: { oversize: 2 * 1024 * 1024 } }),
        fc.constant({}),
      )
    }
    return fc.oneof({ weight: 6, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: json(nastyValue) }, { weight: 1, arbitrary: broken })
  }
}
