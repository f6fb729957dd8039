import { type ManualPayload, type PollPayload, type TaskView, distanceMeters, formatTokens, manualTerms } from '@taskmarket/core'
import type { TaskSummary } from '@taskmarket/sdk'
import { client } from './api.ts'
import { toUnits } from './format.ts'

export const PAGE_SIZE = 20
/** Searching or sorting other than newest first reads at most this many tasks (the list answers 200 a page). */
export const SCAN_LIMIT = 1000
const SCAN_PAGE = 200
/** Tasks whose details are read at once (pay, time and place of manual tasks; when a task ended). */
const DETAIL_CONCURRENCY = 8

export const sorts = [
  { id: 'newest', label: 'Newest' },
  { id: 'reward', label: 'Highest reward' },
  { id: 'deadline', label: 'Closing soonest' },
  { id: 'distance', label: 'Nearest (placed tasks)' },
] as const
export type MarketSort = (typeof sorts)[number]['id']
export type MarketFilters = { kind?: string; status?: string; min?: string; mine?: string; q?: string; sort?: MarketSort; page: number }
export type Here = { latitude: number; longitude: number }
/** A listed task, with its details once read, and its distance from the viewer when it has a place. */
export type MarketRow = TaskSummary & { detail?: TaskView; distance_m?: number }

export function readFilters(query: URLSearchParams): MarketFilters {
  const sort = sorts.find((s) => s.id === query.get('sort'))?.id
  return {
    kind: query.get('kind') ?? undefined,
    status: query.get('status') ?? undefined,
    min: query.get('min') ?? undefined,
    mine: query.get('mine') ?? undefined,
    q: query.get('q') ?? undefined,
    sort,
    page: Math.max(1, Number(query.get('page')) || 1),
  }
}

/**
 * Whether a task matches the search: every word is in its title, its kind (name or id) or its id.
 * @example matchesSearch({ title: 'Deliver a parcel', challenge_type: 'manual', task_id: '…' }, 'parcel manual', 'Manual task') // true
 */
export function matchesSearch(t: Pick<TaskSummary, 'title' | 'task_id'> & { challenge_type: string }, q: string | undefined, kindName = ''): boolean {
  const words = (q ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  const text = `${t.title ?? ''} ${kindName} ${t.challenge_type} ${t.task_id}`.toLowerCase()
  return words.every((w) => text.includes(w))
}

/** The place of a manual task, when it has one. */
export function placeOf(detail: TaskView | undefined): Here | undefined {
  if (detail?.challenge_type !== 'manual') return undefined
  return (detail.payload as ManualPayload).place
}

const running = (t: TaskSummary) => t.status === 'pending' || t.status === 'in_progress'

/**
 * Orders rows: newest first; the highest reward first; running tasks closing soonest first (finished ones
 * after, newest first); or placed tasks nearest first (those without a place after, newest first).
 */
export function sortRows(rows: MarketRow[], sort: MarketSort = 'newest'): MarketRow[] {
  const newest = (a: MarketRow, b: MarketRow) => b.created_at - a.created_at
  const by: Record<MarketSort, (a: MarketRow, b: MarketRow) => number> = {
    newest,
    reward: (a, b) => Number(toUnits(b.reward) - toUnits(a.reward)) || newest(a, b),
    deadline: (a, b) => Number(running(b)) - Number(running(a)) || (running(a) ? a.deadline - b.deadline : newest(a, b)),
    distance: (a, b) => (a.distance_m ?? Infinity) - (b.distance_m ?? Infinity) || newest(a, b),
  }
  // Two rows without a distance compare as NaN (Infinity - Infinity), which falls through to newest.
  return [...rows].sort(by[sort])
}

/** What a human task asks of a worker: its pay per assignment or respondent, the time it allots, its place. */
export function humanTerms(detail: TaskView | undefined): { slots: number; minutes?: number } | undefined {
  if (detail?.challenge_type === 'manual') {
    const terms = manualTerms(detail.payload as ManualPayload)
    return { slots: terms.slots, minutes: terms.assignmentSeconds / 60 }
  }
  if (detail?.challenge_type === 'poll') return { slots: (detail.payload as PollPayload).respondents }
  return undefined
}

/** Details of finished tasks never change: read once per page load. */
const finished = new Map<string, TaskView>()

async function details(rows: TaskSummary[]): Promise<Map<string, TaskView>> {
  const found = new Map<string, TaskView>()
  const queue = [...rows]
  const next = async (): Promise<void> => {
    const t = queue.shift()
    if (!t) return
    const known = finished.get(t.task_id)
    const d = known ?? (await client.tasks.get(t.task_id).catch(() => undefined))
    if (d) {
      found.set(t.task_id, d)
      if (d.status === 'completed' || d.status === 'failed') finished.set(t.task_id, d)
    }
    return next()
  }
  await Promise.all(Array.from({ length: DETAIL_CONCURRENCY }, next))
  return found
}

/**
 * One page of tasks for the filters. Newest first without a search is the server's own paging; a search
 * or another order reads up to SCAN_LIMIT tasks and pages them here (`scanned` says when it hit the limit).
 * The rows shown get their details (pay, time and place of human tasks, when a task ended); sorting by
 * distance reads the places of every manual task found first.
 */
export async function loadMarket(f: MarketFilters, { poster, kindName, here }: { poster?: string; kindName: (kind: string) => string; here?: Here }) {
  const min = f.min && toUnits(f.min) > 0n ? formatTokens(toUnits(f.min)) : undefined
  const base = { status: f.status, challenge_type: f.kind, poster: f.mine && poster ? poster : undefined, min_reward: min }
  const sort = f.sort === 'distance' && !here ? 'newest' : (f.sort ?? 'newest')
  let rows: MarketRow[]
  let total: number
  let capped = false
  if (!f.q?.trim() && sort === 'newest') {
    const r = await client.tasks.list({ ...base, limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE })
    rows = r.tasks
    total = r.total
  } else {
    const all: TaskSummary[] = []
    for (let offset = 0; offset < SCAN_LIMIT; offset += SCAN_PAGE) {
      const r = await client.tasks.list({ ...base, limit: SCAN_PAGE, offset })
      all.push(...r.tasks)
      capped = r.total > SCAN_LIMIT
      if (all.length >= r.total) break
    }
    let found: MarketRow[] = all.filter((t) => matchesSearch(t, f.q, kindName(t.challenge_type)))
    if (sort === 'distance') {
      const known = await details(found.filter((t) => t.challenge_type === 'manual'))
      found = found.map((t) => {
        const place = placeOf(known.get(t.task_id))
        return place && here ? { ...t, detail: known.get(t.task_id), distance_m: distanceMeters(here, place) } : t
      })
    }
    total = found.length
    rows = sortRows(found, sort).slice((f.page - 1) * PAGE_SIZE, f.page * PAGE_SIZE)
  }
  const known = await details(rows.filter((t) => !t.detail))
  return {
    tasks: rows.map((t) => {
      const detail = t.detail ?? known.get(t.task_id)
      const place = placeOf(detail)
      return { ...t, detail, distance_m: t.distance_m ?? (place && here ? distanceMeters(here, place) : undefined) }
    }),
    total,
    capped,
  }
}
