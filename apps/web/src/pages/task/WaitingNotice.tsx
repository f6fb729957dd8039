import type { TaskView } from '@taskmarket/core'
import { Notice } from '../../components/Feedback.tsx'
import { WorkerCommand } from '../../components/WorkerCommand.tsx'

/**
 * Why a compute task is not moving, as the server says in `waiting`: its reward is not locked yet, or fewer
 * distinct workers that run its kind are online than a job's quorum needs (then how to start one).
 */
export function WaitingNotice({ task: t }: { task: TaskView }) {
  const w = t.waiting
  if (!w) return null
  if (t.escrow.state === 'awaiting') return <Notice kind="info">Waiting: {w.reason}. This takes a few seconds.</Notice>
  return (
    <div className="waiting" data-testid="waiting" aria-live="polite">
      <Notice kind="warn" title="Waiting for workers">
        <p>{w.reason}</p>
        <p className="waiting-count">
          <strong data-testid="workers-online">{w.workers_online}</strong> of {w.workers_needed} workers online · each job needs {w.workers_needed} distinct workers to agree
        </p>
        <p>Start a worker on any machine; it stakes, registers and takes jobs by itself:</p>
        <WorkerCommand />
      </Notice>
    </div>
  )
}
