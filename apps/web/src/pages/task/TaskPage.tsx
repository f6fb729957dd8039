import type { TaskView } from '@taskmarket/core'
import { useEffect, useState } from 'react'
import { EmptyState, ErrorNote, Loading } from '../../components/Feedback.tsx'
import { ApiError, client } from '../../lib/api.ts'
import { Link } from '../../lib/router.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { ComputeTaskPage } from './ComputeTaskPage.tsx'
import { ManualTaskPage } from './manual/ManualTaskPage.tsx'
import { PollTaskPage } from './poll/PollTaskPage.tsx'

const FINAL = new Set(['completed', 'failed'])

/** One task, loaded and kept fresh; the page that fits its kind shows it (compute, manual work or poll). */
export function TaskPage({ id }: { id: string }) {
  const [final, setFinal] = useState(false)
  const [waiting, setWaiting] = useState(false)
  // Live events drive the updates; a slow poll covers a dropped socket (faster while the task waits for
  // workers, since no task event says one came online), and stops once the task is final.
  const task = useAsync(() => client.tasks.get(id), [id], { intervalMs: final ? undefined : waiting ? 2000 : 4000 })
  useEffect(() => {
    setFinal(task.data ? FINAL.has(task.data.status) : false)
    setWaiting(!!task.data?.waiting)
  }, [task.data])

  if (task.loading && !task.data) return <section className="page"><h1>Task</h1><Loading label="Loading the task…" /></section>
  if (task.error && !task.data) {
    const missing = task.error instanceof ApiError && (task.error.status === 404 || task.error.status === 400)
    return (
      <section className="page">
        <h1>Task</h1>
        {missing ? (
          <EmptyState title="No such task" icon="?">
            <Link to="/market" className="btn btn-primary">
              Back to the marketplace
            </Link>
          </EmptyState>
        ) : (
          <ErrorNote error={task.error} onRetry={task.reload} />
        )}
      </section>
    )
  }
  const t = task.data as TaskView
  if (t.challenge_type === 'manual') return <ManualTaskPage task={t} reloadTask={task.reload} />
  if (t.challenge_type === 'poll') return <PollTaskPage task={t} reloadTask={task.reload} />
  return <ComputeTaskPage task={t} final={final} reloadTask={task.reload} />
}
