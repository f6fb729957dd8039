import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { AMOUNT_UNIT, devAccount } from '@taskmarket/chain'
import { ESCROW_DECIMALS, TOKEN_DECIMALS, challengeTypes, payloadSchemas } from '@taskmarket/core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type JsonSchema, schemaFuzzer } from './fuzz/schemaArbitrary.ts'
import { type TestMarket, startTestMarket } from './market.ts'

type Operation = { security?: Record<string, string[]>[]; parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[]; requestBody?: { content: Record<string, { schema: JsonSchema; examples?: Record<string, { value: unknown }> }> }; responses?: Record<string, { description: string; content?: Record<string, { schema?: JsonSchema }> }> }
type Doc = { paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown>; schemas: Record<string, any> } }

let m: TestMarket
let doc: Doc
let taskId: string
let blobHash: string
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
  const alice = await m.poster(1)
  taskId = (await alice.api.tasks.create({ challenge_type: 'synthetic', reward: '2', payload: { seed: '0x1', matrix_size: 4, iterations: 1 } })).task_id
  blobHash = (await alice.api.blobs.upload('openapi test')).hash
  doc = await (await fetch(`${m.server.url}/docs/json`)).json()
}, 120_000)
afterAll(() => m?.close())

const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))

/** A request for an operation with schema-valid query and body drawn from its document, path parameters real ones. */
function sampleRequest(path: string, op: Operation, seed: number) {
  const { validValue } = schemaFuzzer({ uuid: [taskId], sha256: [blobHash], address: [devAccount(1).address] })
  const real: Record<string, string> = { id: taskId, hash: blobHash, address: devAccount(1).address, kind: 'photo' }
  const url = path.replace(/\{(\w+)\}/g, (_, name: string) => real[name] ?? 'x')
  const query = (op.parameters ?? []).filter((p) => p.in === 'query' && p.required)
  const values = fc.sample(fc.tuple(fc.tuple(...query.map((q) => validValue(q.schema)), fc.constant(0)), validValue(op.requestBody?.content['application/json']?.schema)), { seed, numRuns: 1 })[0]!
  const search = query.map((q, i) => `${q.name}=${encodeURIComponent(String(values[0][i]))}`).join('&')
  const json = op.requestBody?.content['application/json']
  return { url: search ? `${url}?${search}` : url, body: json ? JSON.stringify(values[1]) : undefined }
}

async function send(method: string, url: string, body?: string) {
  const response = await fetch(`${m.server.url}${url}`, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' }, redirect: 'manual' })
  const text = await response.text()
  let json: any
  try {
    json = JSON.parse(text)
  } catch {}
  return { status: response.status, json }
}

describe('the OpenAPI document', () => {
  it('marks the credentials of every route that needs them, and no public route', async () => {
    const secured = operations().filter((o) => o.op.security?.length)
    expect(secured.length).toBeGreaterThan(30)
    for (const { path, method, op } of operations()) {
      for (const requirement of op.security ?? []) for (const scheme of Object.keys(requirement)) expect(doc.components.securitySchemes, `${method} ${path}`).toHaveProperty(scheme)
      if (op.security?.length) {
        // Refused before its input is read: no body, no valid parameters needed.
        const { status, json } = await send(method, path.replace(/\{\w+\}/g, taskId), method === 'GET' || method === 'DELETE' ? undefined : '{}')
        expect({ route: `${method} ${path}`, status, reason: json?.reason }).toEqual({ route: `${method} ${path}`, status: 401, reason: 'missing credentials' })
        continue
      }
      // A public route answers an anonymous, schema-valid request without asking for credentials (a route
      // that needed them without declaring them answers 401, or 500 if it calls requireAuth undeclared).
      let answer: Awaited<ReturnType<typeof send>> | undefined
      for (let seed = 1; seed <= 25 && (!answer || answer.status === 400); seed++) {
        const request = sampleRequest(path, op, seed)
        answer = await send(method, request.url, request.body)
      }
      const { status, json } = answer!
      const asksForCredentials = status === 401 && json?.reason === 'missing credentials'
      expect({ route: `${method} ${path}`, status, reason: json?.reason, ok: !asksForCredentials && status !== 400 && status < 500 }).toMatchObject({ ok: true })
    }
    expect(doc.paths['/wallet']!.get!.security).toEqual([{ session: [] }, { apiKey: [] }, { node: [] }])
    expect(doc.paths['/api-keys']!.post!.security).toEqual([{ session: [] }])
    expect(doc.paths['/jobs/claim']!.post!.security).toEqual([{ node: [] }])
    expect(doc.paths['/tasks/{id}']!.get!.security).toBeUndefined()
  }, 120_000)

  it('documents each kind’s payload with its schema and an example, and one example body per kind', () => {
    for (const kind of challengeTypes) {
      const title = (payloadSchemas[kind] as unknown as { title: string }).title
      expect(doc.components.schemas[title], kind).toMatchObject({ type: 'object', example: expect.any(Object) })
    }
    for (const path of ['/tasks', '/tasks/orders']) {
      const body = doc.paths[path]!.post!.requestBody!.content['application/json']!
      expect(body.schema.properties!.payload).toMatchObject({ oneOf: challengeTypes.map((k) => ({ $ref: `#/components/schemas/${(payloadSchemas[k] as unknown as { title: string }).title}` })) })
      expect(Object.keys(body.examples!)).toEqual([...challengeTypes])
    }
    const view = (doc.paths['/tasks/{id}']!.get as any).responses['200'].content['application/json'].schema
    expect(view.properties.payload.oneOf).toHaveLength(challengeTypes.length)
    expect(JSON.stringify(doc.paths['/tasks'])).not.toContain('"payload":{"type":"object","additionalProperties":{}}')
  })

  it('gives every operation a success answer with its schema: JSON, bytes of declared media types, or 204 without a body', () => {
    const described = ({ op }: ReturnType<typeof operations>[number]) =>
      Object.entries(op.responses ?? {}).some(([status, response]) => {
        if (!/^2\d\d$/.test(status)) return false
        if (status === '204') return response.content === undefined
        const media = Object.entries(response.content ?? {})
        // A JSON answer names its fields; any other media type is bytes and says so.
        return media.length > 0 && media.every(([type, { schema }]) => (type === 'application/json' ? !!schema && Object.keys(schema).length > 0 : (schema as { format?: string } | undefined)?.format === 'binary'))
      })
    expect(operations().length).toBeGreaterThan(50)
    expect(operations().filter((o) => !described(o)).map((o) => `${o.method} ${o.path}`)).toEqual([])
    // The bytes routes say which media types they send.
    expect(Object.keys(doc.paths['/tasks/{id}/result']!.get!.responses!['200']!.content!)).toEqual(['image/png', 'application/x-ndjson', 'application/octet-stream'])
    expect(doc.paths['/tasks/next']!.get!.responses!['204']).toEqual({ description: 'No job to lease now' })
  })

  it('names every route the docs and the README name', () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url))
    const files = ['README.md', 'apps/web/README.md', ...readdirSync(`${root}docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })))
    // `{id}`, `:id` and `<id>` stand for any segment; a literal segment may fill a parameter.
    const pattern = (named: string) => named.replace(/\{\w+\}|:\w+|<[^>]+>/g, 'p').replace(/[.]$/, '')
    const fits = (route: string, named: string) => new RegExp(`^${route.replace(/\{\w+\}/g, '[^/]+')}$`).test(named)
    const endsWith = (route: string, named: string) => fits(route, named) || route.replace(/\{\w+\}/g, 'p').endsWith(named)
    const named = files.flatMap((file) => {
      const text = readFileSync(`${root}${file}`, 'utf8')
      // "GET /tasks/{id}": that method on that path.
      const withMethod = [...text.matchAll(/\b(GET|POST|PUT|DELETE|PATCH) (\/[A-Za-z0-9_{}:<>/.-]*)/g)].map(([, method, path]) => ({ name: `${file}: ${method} ${path}`, found: routes.some((r) => r.method === method && fits(r.path, pattern(path!))) }))
      // `/jobs/claim` or `/result` in code: some route's path, or the end of one (pages served outside the API and file paths aside).
      const bare = [...text.matchAll(/`(\/[A-Za-z0-9_{}:<>/.-]*)`/g)].map(([, path]) => path!).filter((path) => !['/', '/docs'].includes(path) && !/^\/(usr|tmp|etc|home)\//.test(path))
      return [...withMethod, ...bare.map((path) => ({ name: `${file}: ${path}`, found: routes.some((r) => endsWith(r.path, pattern(path))) }))]
    })
    expect(named.length).toBeGreaterThan(25)
    const missing = named.filter((n) => !n.found).map((n) => n.name)
    expect(missing).toEqual([])
  })
})

describe('validation errors', () => {
  it('list the allowed values of an enum, in the query and in the body', async () => {
    const query = await send('GET', '/tasks?status=done')
    expect(query).toMatchObject({ status: 400, json: { field: 'status', reason: 'must be one of pending, in_progress, verifying, completed, failed, disputed' } })
    const alice = await m.poster(1)
    const body = await fetch(`${m.server.url}/tasks`, { method: 'POST', headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ challenge_type: 'render', payload: {}, reward: '1' }) })
    expect(await body.json()).toMatchObject({ field: 'challenge_type', reason: `must be one of ${challengeTypes.join(', ')}` })
    const payload = await fetch(`${m.server.url}/tasks`, { method: 'POST', headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ challenge_type: 'hash', payload: { input: blobHash, algorithm: 'md5' }, reward: '1' }) })
    expect(await payload.json()).toMatchObject({ field: 'payload.algorithm', reason: 'must be one of sha256, sha512, sha3-256, blake2b512' })
  })
})

describe('decimals', () => {
  it('say the same limit everywhere: the contract, the chain package, the document and every refusal', async () => {
    const unit = 10n ** BigInt(TOKEN_DECIMALS - ESCROW_DECIMALS)
    expect(AMOUNT_UNIT).toBe(unit)
    expect(await m.server.chain.contracts.escrow.read.AMOUNT_UNIT()).toBe(unit)
    const reward = (doc.paths['/tasks']!.post!.requestBody!.content['application/json']!.schema.properties!.reward as { description: string }).description
    expect(reward).toContain(`at most ${ESCROW_DECIMALS} decimals`)
    const alice = await m.poster(1)
    for (const decimals of [ESCROW_DECIMALS + 1, TOKEN_DECIMALS + 1]) {
      const response = await fetch(`${m.server.url}/tasks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ challenge_type: 'synthetic', payload: { seed: '0x1', matrix_size: 4, iterations: 1 }, reward: `1.${'0'.repeat(decimals - 1)}1` }),
      })
      expect(await response.json(), `${decimals} decimals`).toMatchObject({ field: 'reward', reason: `must have at most ${ESCROW_DECIMALS} decimals` })
    }
  })
})
