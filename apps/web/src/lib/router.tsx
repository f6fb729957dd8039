import { type AnchorHTMLAttributes, useSyncExternalStore } from 'react'

/**
 * A small hash router: the app lives at `/` and its pages at `#/path`, so no page path can collide with an
 * API route the server answers (GET /tasks/:id is JSON, #/tasks/:id is the task page).
 */
export type RouteName = 'home' | 'market' | 'create' | 'task' | 'work' | 'profile' | 'wallet' | 'nodes' | 'node' | 'network' | 'keys' | 'signin' | 'not-found'
export type Route = { name: RouteName; path: string; params: Record<string, string>; query: URLSearchParams }

const table: [pattern: string, name: RouteName][] = [
  ['/', 'home'],
  ['/market', 'market'],
  ['/tasks/new', 'create'],
  ['/tasks/:id', 'task'],
  ['/work', 'work'],
  ['/profile', 'profile'],
  ['/wallet', 'wallet'],
  ['/nodes', 'nodes'],
  ['/nodes/:address', 'node'],
  ['/network', 'network'],
  ['/keys', 'keys'],
  ['/signin', 'signin'],
]

/** Splits a location hash ("#/tasks/1?x=2") into its path and query. */
export function parseHash(hash: string): { path: string; query: URLSearchParams } {
  const raw = hash.replace(/^#/, '') || '/'
  const [path = '/', search = ''] = raw.split('?', 2) as [string, string?]
  const clean = `/${path.split('/').filter(Boolean).join('/')}`
  return { path: clean, query: new URLSearchParams(search) }
}

/**
 * Finds the route of a path; `:name` segments become params.
 * @example matchRoute('/tasks/abc').params.id // 'abc'
 */
export function matchRoute(path: string, query = new URLSearchParams()): Route {
  const parts = path.split('/').filter(Boolean)
  for (const [pattern, name] of table) {
    const want = pattern.split('/').filter(Boolean)
    if (want.length !== parts.length) continue
    const params: Record<string, string> = {}
    const ok = want.every((segment, i) => {
      if (segment.startsWith(':')) {
        params[segment.slice(1)] = decodeURIComponent(parts[i]!)
        return true
      }
      return segment === parts[i]
    })
    if (ok) return { name, path, params, query }
  }
  return { name: 'not-found', path, params: {}, query }
}

/** The href of an app path, with an optional query. */
export function href(path: string, query?: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return `#${path}${s ? `?${s}` : ''}`
}

export function navigate(path: string, options: { replace?: boolean; query?: Record<string, string | number | undefined> } = {}) {
  const target = href(path, options.query)
  if (options.replace) {
    history.replaceState(history.state, '', target)
    window.dispatchEvent(new HashChangeEvent('hashchange'))
  } else window.location.hash = target.slice(1)
}

function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange)
  return () => window.removeEventListener('hashchange', onChange)
}

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash, () => '')
  const { path, query } = parseHash(hash)
  return matchRoute(path, query)
}

type LinkProps = AnchorHTMLAttributes<HTMLAnchorElement> & { to: string; query?: Record<string, string | number | undefined> }

/** An in-app link; marks itself `aria-current="page"` when its route is the current one. */
export function Link({ to, query, ...rest }: LinkProps) {
  const route = useRoute()
  return <a href={href(to, query)} aria-current={route.path === to ? 'page' : undefined} {...rest} />
}
