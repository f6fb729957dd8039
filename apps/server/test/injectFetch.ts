import type { FastifyInstance } from 'fastify'

/**
 * A `fetch` that answers through Fastify's `app.inject()`: the request goes through every hook, schema and
 * handler as over HTTP, without a socket. The SDK takes it as its `fetch`, so route tests use the real client.
 */
export function injectFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined
    const answer = await app.inject({ method: request.method as never, url: url.pathname + url.search, headers: headersOf(request.headers), ...(body ? { payload: body } : {}) })
    const headers = new Headers()
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of [value].flat()) if (one !== undefined) headers.append(name, String(one))
    }
    const empty = answer.statusCode === 204 || answer.statusCode === 304 || request.method === 'HEAD'
    return new Response(empty ? null : new Uint8Array(answer.rawPayload), { status: answer.statusCode, statusText: answer.statusMessage, headers })
  }
}

function headersOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name] = value
  })
  return out
}
