import { ApiError, ConnectionError } from './errors.ts'

export type HttpOptions = {
  baseUrl: string
  /** API key (tm_…) sent as a bearer token. */
  apiKey?: string
  fetch?: typeof fetch
  /** Extra headers per request (node signatures). */
  sign?: (method: string, path: string, body: string) => Promise<Record<string, string>>
}

/** The SDK's one HTTP helper: JSON in and out, session cookie kept in Node, errors as ApiError. */
export function createHttp(options: HttpOptions) {
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis)
  const base = options.baseUrl.replace(/\/$/, '')
  let cookie: string | undefined
  const inBrowser = typeof window !== 'undefined'

  async function raw(method: string, path: string, init: { body?: BodyInit; json?: unknown; headers?: Record<string, string> } = {}) {
    const body = init.json !== undefined ? JSON.stringify(init.json) : init.body
    const headers: Record<string, string> = { ...init.headers }
    if (init.json !== undefined) headers['content-type'] = 'application/json'
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`
    if (cookie && !inBrowser) headers.cookie = cookie
    if (options.sign) Object.assign(headers, await options.sign(method, path, typeof body === 'string' ? body : ''))
    let response: Response
    try {
      response = await doFetch(`${base}${path}`, { method, body, headers, credentials: 'include', redirect: 'manual', ...(body instanceof ReadableStream ? { duplex: 'half' } : {}) } as RequestInit)
    } catch (error) {
      // fetch rejects only when no answer came: say where it tried, not just "fetch failed".
      if ((error as Error).name === 'AbortError') throw error
      const cause = (error as { cause?: { code?: string; errors?: { code?: string }[] } }).cause
      throw new ConnectionError(base || '(this page’s origin)', cause?.code ?? cause?.errors?.[0]?.code, { cause: error })
    }
    const setCookie = response.headers.get('set-cookie')
    if (setCookie && !inBrowser) {
      const value = /tm_session=([^;]*)/.exec(setCookie)?.[1]
      cookie = value ? `tm_session=${value}` : undefined
    }
    if (!response.ok && response.status !== 302) {
      const text = await response.text()
      let data: any
      try {
        data = JSON.parse(text)
      } catch {
        data = { message: text }
      }
      throw new ApiError(response.status, data.code ?? 'HTTP', data.message ?? `${method} ${path} answered ${response.status}`, data.field, data.reason)
    }
    return response
  }

  async function json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await raw(method, path, body === undefined ? {} : { json: body })
    if (response.status === 204) return undefined as T
    return (await response.json()) as T
  }

  return { raw, json, base, get cookie() { return cookie } }
}

export type Http = ReturnType<typeof createHttp>

/** Builds a query string from the defined entries. */
export function query(params: Record<string, string | number | undefined>) {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v))
  const s = q.toString()
  return s ? `?${s}` : ''
}
