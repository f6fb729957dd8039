import type { TaskQuote } from '@taskmarket/core'
import { useEffect, useMemo, useRef, useState } from 'react'
import { client, describeError, errorField } from '../../lib/api.ts'
import { type TaskFormValues, type Upload, quoteRequestOf, withUploads } from '../../lib/taskForm.ts'
import type { UploadCache } from '../../lib/uploadCache.ts'

/** How long the form must rest before it is quoted: a quote per pause, not per keystroke. */
export const QUOTE_DELAY_MS = 400

export type MarketQuoteState = {
  quote?: TaskQuote
  /** A quote is in flight. */
  loading: boolean
  /** Why the last quote failed: the API's message, and the field it names when it is about input. */
  error?: { message: string; field?: string }
  /** What the form still lacks before it can be quoted: its first problem, as shown under the field. */
  waiting?: string
}

/**
 * Quotes the task the form would post (POST /tasks/quote) once the form rests for `delayMs`, uploading its
 * files first (once each, shared with the post through `uploads`). Only the latest request's answer counts:
 * the SDK takes no abort signal, so an older answer that arrives late is dropped instead.
 * @example const { quote, loading, error } = useMarketQuote(form, uploads)
 */
export function useMarketQuote(form: TaskFormValues, uploads: UploadCache, delayMs = QUOTE_DELAY_MS): MarketQuoteState {
  const request = useMemo(() => quoteRequestOf(form), [form])
  const key = useMemo(() => requestKey(request), [request])
  const current = useRef(request)
  current.current = request
  const latest = useRef(0)
  const [state, setState] = useState<MarketQuoteState>({ loading: false })

  useEffect(() => {
    const mine = ++latest.current
    const { body, errors, uploads: pending } = current.current
    if (!body) {
      setState({ loading: false, waiting: blocking(errors) })
      return
    }
    const timer = setTimeout(async () => {
      setState((s) => ({ ...s, loading: true, waiting: undefined }))
      try {
        const quote = await client.tasks.quote(withUploads(body, await uploads.hashes(pending)))
        if (mine === latest.current) setState({ quote, loading: false })
      } catch (error) {
        if (mine === latest.current) setState({ loading: false, error: { message: describeError(error), field: errorField(error) } })
      }
    }, delayMs)
    return () => clearTimeout(timer)
  }, [key, uploads, delayMs])

  return state
}

/** The first problem that stops a quote (a reward or deadline still being typed does not). */
function blocking(errors: Record<string, string>): string | undefined {
  return Object.entries(errors).find(([field]) => field !== 'reward' && field !== 'deadline')?.[1]
}

const fileIds = new WeakMap<File, number>()
let nextFileId = 0

/** What identifies a request: its body, and which file or text each upload is (the body holds placeholders). */
function requestKey({ body, errors, uploads }: { body?: unknown; errors: Record<string, string>; uploads: readonly Upload[] }): string {
  if (!body) return `waiting:${blocking(errors) ?? ''}`
  const files = uploads.map((u) => {
    if (typeof u.data === 'string') return `${u.field}=text:${u.data}`
    if (!fileIds.has(u.data)) fileIds.set(u.data, ++nextFileId)
    return `${u.field}=file:${fileIds.get(u.data)}`
  })
  return JSON.stringify([body, files])
}
