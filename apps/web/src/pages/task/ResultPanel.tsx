import type { TaskJob, TaskView } from '@taskmarket/core'
import { Hex } from '../../components/Hex.tsx'

type Job = Pick<TaskJob, 'index' | 'status' | 'canonical_digest' | 'output_blob'>

/** The task's output: the rendered image, the result hash and the worker, downloads of every job output. */
export function ResultPanel({ task: t, jobs }: { task: TaskView; jobs?: Job[] }) {
  const r = t.result
  const outputs = (jobs ?? []).filter((j) => j.output_blob)
  const image = r?.output_url && t.challenge_type === 'rendering'
  return (
    <div className="card">
      <h2 className="card-title">Result</h2>
      {!r ? (
        <div className="result-wait">
          {t.challenge_type === 'rendering' && <div className="image-placeholder" aria-hidden="true" style={{ aspectRatio: aspect(t.payload) }} />}
          <p className="muted">{t.status === 'failed' ? 'No result: the task failed and its reward was refunded.' : 'The result appears here as soon as the replicas agree.'}</p>
        </div>
      ) : (
        <>
          {image && (
            <figure className="render">
              <img src={r.output_url} alt={`Rendered image of task ${t.task_id.slice(0, 8)} (${String(t.payload.resolution ?? '')})`} data-testid="result-image" />
            </figure>
          )}
          <dl className="kv">
            <dt>Result hash</dt>
            <dd>
              <Hex value={r.result_hash} />
            </dd>
            <dt>Worker</dt>
            <dd>
              <Hex value={r.worker_address} />
            </dd>
          </dl>
          <div className="actions actions-start">
            {r.output_url && (
              <a className="btn btn-secondary" href={r.output_url} download={`task-${t.task_id.slice(0, 8)}${image ? '.png' : ''}`}>
                Download {image ? 'PNG' : 'output'}
              </a>
            )}
          </div>
        </>
      )}
      {outputs.length > 0 && !image && (
        <details className="downloads">
          <summary>Job outputs ({outputs.length})</summary>
          <ul>
            {outputs.slice(0, 100).map((j) => (
              <li key={j.index}>
                <a href={`/blobs/${j.output_blob}`} download>
                  job {j.index}
                </a>{' '}
                <Hex value={j.canonical_digest} />
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  )
}

function aspect(payload: Record<string, unknown>) {
  const m = /^(\d+)x(\d+)$/.exec(String(payload.resolution ?? ''))
  return m ? `${m[1]} / ${m[2]}` : '1 / 1'
}
