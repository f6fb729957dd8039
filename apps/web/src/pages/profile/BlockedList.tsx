import { useState } from 'react'
import { EmptyState, ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { client, describeError } from '../../lib/api.ts'
import { timeAgo } from '../../lib/format.ts'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'

/** Workers the signed-in poster blocked from their tasks (from a manual task's review), with Unblock. */
export function BlockedList() {
  const session = useSession()
  const blocks = useAsync(async () => (await client.profiles.blocks()).blocks, [session.address])
  const [failure, setFailure] = useState<string>()
  const unblock = async (worker: string) => {
    setFailure(undefined)
    try {
      await client.profiles.unblock(worker)
      await blocks.reload()
    } catch (e) {
      setFailure(describeError(e))
    }
  }
  return (
    <div className="card">
      <h2 className="card-title">Blocked workers</h2>
      <ErrorNote error={blocks.error} onRetry={blocks.reload} />
      {blocks.loading && !blocks.data ? (
        <Loading label="Loading…" />
      ) : blocks.data?.length === 0 ? (
        <EmptyState title="Nobody blocked" icon="✓">
          <p className="small">Block a worker from their assignment on one of your manual tasks; they will not see or take your tasks.</p>
        </EmptyState>
      ) : (
        <ul className="key-list">
          {blocks.data?.map((b) => (
            <li key={b.worker}>
              <span>
                <Hex value={b.worker} />
                <span className="cell-sub block-note">
                  {b.reason ? `${b.reason} · ` : ''}blocked {timeAgo(b.created_at)}
                </span>
              </span>
              <button type="button" className="btn btn-ghost btn-small" onClick={() => void unblock(b.worker)}>
                Unblock
              </button>
            </li>
          ))}
        </ul>
      )}
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
    </div>
  )
}
