import { act, renderHook, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { useAsync } from './useAsync.ts'

const deferred = <T,>() => {
  let resolve!: (v: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('useAsync', () => {
  it('loads, reloads on new deps and ignores an answer that arrives after a newer one', async () => {
    const pending: Record<string, ReturnType<typeof deferred<string>>> = { a: deferred(), b: deferred() }
    const { result, rerender } = renderHook(({ id }) => useAsync(() => pending[id]!.promise, [id]), { initialProps: { id: 'a' } })
    expect(result.current).toMatchObject({ loading: true, data: undefined })
    rerender({ id: 'b' })
    await act(async () => pending.b!.resolve('B'))
    await waitFor(() => expect(result.current.data).toBe('B'))
    await act(async () => pending.a!.resolve('A (stale)'))
    expect(result.current).toMatchObject({ data: 'B', loading: false })
  })

  it('keeps the data and reports the error when a reload fails; `keep` keeps data across deps', async () => {
    let n = 0
    const { result, rerender } = renderHook(({ v }) => useAsync(async () => (++n === 2 ? Promise.reject(new Error('down')) : `v${v}:${n}`), [v], { keep: true }), { initialProps: { v: 1 } })
    await waitFor(() => expect(result.current.data).toBe('v1:1'))
    await act(() => result.current.reload())
    expect(result.current).toMatchObject({ data: 'v1:1', loading: false })
    expect((result.current.error as Error).message).toBe('down')
    rerender({ v: 2 })
    expect(result.current.data).toBe('v1:1')
    await waitFor(() => expect(result.current.data).toBe('v2:3'))
  })

  it('does nothing while disabled', () => {
    let calls = 0
    const { result } = renderHook(() => useAsync(async () => ++calls, [], { enabled: false }))
    expect(result.current).toMatchObject({ loading: false, data: undefined })
    expect(calls).toBe(0)
  })
})
