import type { Replica, TaskJob, TaskView } from '@taskmarket/core'
import { useState } from 'react'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { humanize, percent, shortHex } from '../../lib/format.ts'

export type { Replica }
export type Job = TaskJob

const SHOWN = 120

/** Jobs and their replicas: a tile map for renderings (laid out like the image), a list otherwise. */
export function JobsView({ task, jobs }: { task: TaskView; jobs: Job[] }) {
  const [selected, setSelected] = useState<number>()
  if (jobs.length === 0) return <p className="muted">The jobs are planned when the task is posted.</p>
  const grid = tileGrid(task)
  const cols = grid?.cols ?? Math.min(12, Math.ceil(Math.sqrt(jobs.length * 2)))
  // Many jobs get smaller tiles (still a thumb's width) so the map does not dominate the page.
  const cell = jobs.length > 24 ? 44 : 68
  const pick = selected !== undefined ? jobs.find((j) => j.index === selected) : undefined
  return (
    <>
      <ul className="tiles" style={{ gridTemplateColumns: `repeat(${cols}, minmax(0, 1fr))`, maxWidth: `${cols * cell}px` }} aria-label={grid ? 'Tiles of the image' : 'Jobs'}>
        {jobs.slice(0, SHOWN).map((j) => {
          const state = jobState(j)
          const working = j.replicas.filter((r) => r.status === 'leased')
          const progress = working.length ? Math.max(...working.map((r) => r.progress)) : 0
          return (
            <li key={j.id}>
              <button
                type="button"
                className={`tile tile-${state}${selected === j.index ? ' tile-selected' : ''}`}
                aria-label={`${grid ? 'Tile' : 'Job'} ${j.index}: ${humanize(state)}, ${j.replicas.filter((r) => r.status === 'valid').length} of ${task.replication.target_results} replicas agree`}
                aria-pressed={selected === j.index}
                onClick={() => setSelected(selected === j.index ? undefined : j.index)}
              >
                {state === 'running' && <span className="tile-fill" style={{ height: `${Math.max(8, progress * 100)}%` }} />}
                <span className="tile-label">{j.index}</span>
              </button>
            </li>
          )
        })}
      </ul>
      {jobs.length > SHOWN && <p className="muted small">Showing the first {SHOWN} of {jobs.length} jobs.</p>}
      <p className="legend small">
        {(['waiting', 'running', 'verifying', 'valid', 'error'] as const).map((s) => (
          <span key={s}>
            <i className={`tile-${s}`} aria-hidden="true" /> {humanize(s)}
          </span>
        ))}
      </p>
      {pick ? (
        <div className="job-detail" aria-live="polite">
          <h3>
            {grid ? 'Tile' : 'Job'} {pick.index} <StatusBadge status={pick.status} />
          </h3>
          {pick.canonical_digest && (
            <p className="small">
              Agreed digest <code title={pick.canonical_digest}>{shortHex(pick.canonical_digest, 10, 6)}</code>
            </p>
          )}
          <ReplicaList replicas={pick.replicas} />
        </div>
      ) : (
        <p className="muted small">Select a {grid ? 'tile' : 'job'} to see its replicas.</p>
      )}
    </>
  )
}

function ReplicaList({ replicas }: { replicas: Replica[] }) {
  if (replicas.length === 0) return <p className="muted small">No node has taken it yet.</p>
  return (
    <ul className="replicas">
      {replicas.map((r, i) => (
        <li key={i}>
          <code title={r.worker}>{shortHex(r.worker)}</code> <StatusBadge status={r.status} />
          {r.status === 'leased' && <span className="small muted"> {percent(r.progress)}</span>}
          {r.digest && (
            <code className="small muted" title={r.digest}>
              {' '}
              {shortHex(r.digest, 8, 4)}
            </code>
          )}
        </li>
      ))}
    </ul>
  )
}

/** Where a job stands, from its own status and its replicas'. */
export function jobState(j: Pick<Job, 'status' | 'replicas'>): 'waiting' | 'running' | 'verifying' | 'valid' | 'error' {
  if (j.status === 'valid') return 'valid'
  if (j.status === 'error') return 'error'
  if (j.replicas.some((r) => r.status === 'leased')) return 'running'
  if (j.replicas.some((r) => r.status === 'submitted')) return 'verifying'
  return 'waiting'
}

/** The tile layout of a rendering (columns of the image grid), from its resolution and tile size. */
export function tileGrid(task: Pick<TaskView, 'challenge_type' | 'payload'>): { cols: number; rows: number } | undefined {
  if (task.challenge_type !== 'rendering') return undefined
  const m = /^(\d+)x(\d+)$/.exec(String(task.payload.resolution ?? ''))
  if (!m) return undefined
  const tile = Number(task.payload.tile_size ?? 32)
  return { cols: Math.ceil(Number(m[1]) / tile), rows: Math.ceil(Number(m[2]) / tile) }
}
