import { describe, expect, it } from 'vitest'
import { type MarketRow, matchesSearch, readFilters, sortRows } from './market.ts'

const row = (id: string, p: Partial<MarketRow>): MarketRow => ({ task_id: id, challenge_type: 'rendering', status: 'pending', reward: '1', created_at: 100, deadline: 1000, progress: 0, ...p })

describe('marketplace search', () => {
  it('matches every word against the title, the kind and the id, in any case', () => {
    const t = { task_id: 'ab12cd34-0000', title: 'Deliver a parcel', challenge_type: 'manual' }
    expect(matchesSearch(t, 'PARCEL', 'Manual task')).toBe(true)
    expect(matchesSearch(t, 'parcel manual', 'Manual task')).toBe(true)
    expect(matchesSearch(t, 'ab12', 'Manual task')).toBe(true)
    expect(matchesSearch(t, 'parcel poll', 'Manual task')).toBe(false)
    expect(matchesSearch({ task_id: 'x', challenge_type: 'rendering' }, 'render', 'Rendering')).toBe(true)
    expect(matchesSearch(t, '  ', '')).toBe(true)
  })

  it('reads the filters from the address, ignoring an unknown sort', () => {
    expect(readFilters(new URLSearchParams('q=logo&sort=reward&page=2'))).toMatchObject({ q: 'logo', sort: 'reward', page: 2 })
    expect(readFilters(new URLSearchParams('sort=random')).sort).toBeUndefined()
  })
})

describe('marketplace order', () => {
  const rows = [
    row('a', { reward: '5', created_at: 300, deadline: 5000 }),
    row('b', { reward: '12.5', created_at: 200, deadline: 2000 }),
    row('c', { reward: '12.5', created_at: 400, deadline: 9000, status: 'completed' }),
    row('d', { reward: '0.5', created_at: 100, deadline: 3000, distance_m: 800 }),
    row('e', { reward: '1', created_at: 50, deadline: 4000, distance_m: 120 }),
  ]
  const ids = (sorted: MarketRow[]) => sorted.map((r) => r.task_id).join('')
  it('sorts newest first, by reward (ties newest first), and running tasks closing soonest first', () => {
    expect(ids(sortRows(rows))).toBe('cabde')
    expect(ids(sortRows(rows, 'reward'))).toBe('cbaed')
    expect(ids(sortRows(rows, 'deadline'))).toBe('bdeac')
  })

  it('sorts placed tasks nearest first, the rest after them newest first', () => {
    expect(ids(sortRows(rows, 'distance'))).toBe('edcab')
  })
})
