import { TaskMarketError } from '@taskmarket/core'
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config.ts'
import { createTokenBuckets } from '../services/tokenBuckets.ts'

declare module 'fastify' {
  interface FastifyRequest {
    rateCharged?: boolean
  }
}

/** Routes anyone may call without credentials that cost a database row or a signature check: sign-in. */
const AUTH_ROUTES = new Set(['/auth/nonce', '/auth/verify'])

/**
 * Limits requests per client: an authenticated request counts against its identity (so 64 workers on one
 * host each have their own budget), any other against its IP address (an IPv6 /64). A request that fails
 * before its handler (bad credentials, bad input, no such route) counts against the IP, and an IP out of
 * tokens is refused before any work. Sign-in routes have a tighter budget per IP of their own. Must be
 * attached after `attachAuth`, whose preHandler resolves the identity.
 */
export function attachRateLimit(app: FastifyInstance, limits: Config['rateLimit']) {
  if (!limits.perMinute) return
  const clients = createTokenBuckets({ perMinute: limits.perMinute, burst: limits.burst })
  const signIns = limits.authPerMinute ? createTokenBuckets({ perMinute: limits.authPerMinute, burst: limits.authBurst }) : undefined
  const refuse = (seconds: number, what: string) =>
    new TaskMarketError('RATE_LIMITED', `too many requests ${what}; retry in ${seconds} s`, { details: { reason: `rate limited ${what}`, retry_after: seconds } })

  app.addHook('onRequest', async (request) => {
    const ip = ipKey(request.ip)
    const waitIp = clients.waitFor(ip)
    if (waitIp) throw refuse(waitIp, `from this address (${limits.perMinute} a minute, bursts of ${limits.burst})`)
    if (signIns && AUTH_ROUTES.has(request.routeOptions.url ?? '')) {
      request.rateCharged = true
      const waitSignIn = signIns.take(ip) || clients.take(ip)
      if (waitSignIn) throw refuse(waitSignIn, `to sign in from this address (${limits.authPerMinute} a minute, bursts of ${limits.authBurst})`)
    }
  })
  app.addHook('preHandler', async (request) => {
    if (request.rateCharged) return
    request.rateCharged = true
    const key = request.auth ? `id:${request.auth.address.toLowerCase()}` : ipKey(request.ip)
    const wait = clients.take(key)
    if (wait) throw refuse(wait, `${request.auth ? 'by this identity' : 'from this address'} (${limits.perMinute} a minute, bursts of ${limits.burst})`)
  })
  app.addHook('onResponse', async (request) => {
    if (!request.rateCharged) clients.take(ipKey(request.ip))
  })
}

/** The bucket key of an address: IPv4 as is, IPv6 by its /64 (one host usually has the whole /64). */
export function ipKey(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip)?.[1]
  if (v4 || !ip.includes(':')) return `ip:${v4 ?? ip}`
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::')
  const h = head ? head.split(':') : []
  const t = tail ? tail.split(':') : []
  const groups = ip.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h
  return `ip:${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`
}
