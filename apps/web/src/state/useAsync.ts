import { type DependencyList, useCallback, useEffect, useRef, useState } from 'react'

export type AsyncState<T> = { data: T | undefined; error: unknown; loading: boolean; reload: () => Promise<void> }

/**
 * Loads `fn()` when `deps` change, and again every `intervalMs` when given; keeps the last data while
 * reloading so polling never flashes a spinner, and drops answers that arrive after newer ones. With `keep`,
 * a change of `deps` also keeps the old data until the new arrives.
 * @example const { data, loading, error } = useAsync(() => client.tasks.get(id), [id], { intervalMs: 5000 })
 */
export function useAsync<T>(fn: () => Promise<T>, deps: DependencyList, { intervalMs, enabled = true, keep = false }: { intervalMs?: number; enabled?: boolean; keep?: boolean } = {}): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: enabled })
  const generation = useRef(0)
  const fnRef = useRef(fn)
  fnRef.current = fn

  const reload = useCallback(async () => {
    const mine = ++generation.current
    setState((s) => (s.data === undefined && !s.loading ? { ...s, loading: true } : s))
    try {
      const data = await fnRef.current()
      if (mine === generation.current) setState({ data, error: undefined, loading: false })
    } catch (error) {
      if (mine === generation.current) setState((s) => ({ data: s.data, error, loading: false }))
    }
  }, [])

  useEffect(() => {
    if (!enabled) {
      generation.current++
      setState({ data: undefined, error: undefined, loading: false })
      return
    }
    // `keep`: the same thing reloaded (a balance after a transaction), so the old value stays until the new one.
    setState((s) => (keep && s.data !== undefined ? s : { data: undefined, error: undefined, loading: true }))
    void reload()
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, enabled])

  useEffect(() => {
    if (!enabled || !intervalMs) return
    const timer = setInterval(() => {
      if (document.visibilityState !== 'hidden') void reload()
    }, intervalMs)
    return () => clearInterval(timer)
  }, [enabled, intervalMs, reload])

  useEffect(() => () => void generation.current++, [])

  return { ...state, reload }
}
