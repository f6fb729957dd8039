import type { FastifyInstance } from 'fastify'

/**
 * The web app's Content-Security-Policy: its own scripts and styles only (the built index.html has no
 * inline script or style), the API and live updates of this origin, the local chain's RPC when the
 * market publishes one, images from blobs and the browser; no plugins, no frames, no <base>.
 * @example webAppPolicy({ publicUrl: 'http://localhost:8080', rpcUrl: 'http://127.0.0.1:8545' })
 */
export function webAppPolicy({ publicUrl, rpcUrl }: { publicUrl: string; rpcUrl?: string }): string {
  const origin = new URL(publicUrl)
  const live = `${origin.protocol === 'https:' ? 'wss:' : 'ws:'}//${origin.host}`
  const connect = ["'self'", live, ...(rpcUrl ? [new URL(rpcUrl).origin] : [])]
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/**
 * Serves the built web app from `webDir` under its CSP, with nosniff and no Referer; any other GET that
 * accepts HTML gets index.html (the app routes by hash), the rest a JSON 404.
 */
export async function serveWebApp(app: FastifyInstance, { webDir, policy }: { webDir: string; policy: () => string }) {
  const statics = (await import('@fastify/static')).default
  await app.register(statics, {
    root: webDir,
    wildcard: false,
    setHeaders(res) {
      res.setHeader('content-security-policy', policy())
      res.setHeader('x-content-type-options', 'nosniff')
      res.setHeader('referrer-policy', 'no-referrer')
    },
  })
  app.setNotFoundHandler((request, reply) =>
    request.method === 'GET' && request.headers.accept?.includes('text/html') ? reply.sendFile('index.html') : reply.status(404).send({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: `no route ${request.method} ${request.url}` }),
  )
}
