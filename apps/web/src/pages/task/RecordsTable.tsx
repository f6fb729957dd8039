import type { JobRecordView, TaskView } from '@taskmarket/core'
import { useEffect, useMemo, useState } from 'react'
import type { Hex as HexString } from 'viem'
import { EmptyState } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { Pager } from '../../components/Pager.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { readBatchRoot } from '../../lib/chain.ts'
import { shortHex } from '../../lib/format.ts'
import { checkRecord } from '../../lib/recordProof.ts'
import { useSession } from '../../state/session.tsx'

export type JobRecordRow = JobRecordView

/** Records shown per page: a rendering of 48 tiles has 144 records, a page of cards each on a phone. */
export const RECORDS_PER_PAGE = 10

/**
 * The task's job records with their proofs, each verified here (all of them, whichever page is shown),
 * and the root read back from the chain. Past a page of records the summary stands alone until the reader
 * opens the table, then ten rows a page, or all on request.
 */
export function RecordsTable({ task, records, jobIndex }: { task: TaskView; records: JobRecordRow[]; jobIndex?: Map<string, number> }) {
  const session = useSession()
  const [page, setPage] = useState(1)
  const [all, setAll] = useState(false)
  const [open, setOpen] = useState(false)
  const checks = useMemo(() => records.map((r) => checkRecord(r, task.escrow.chain_task_id as HexString)), [records, task.escrow.chain_task_id])
  const [anchored, setAnchored] = useState<boolean>()
  const root = records[0]?.jobs_root
  const batch = records[0]?.batch_id
  useEffect(() => {
    if (!root || !batch || !session.reader || !session.config) return
    readBatchRoot(session.reader, session.config, batch)
      .then((onChain) => setAnchored(String(onChain).toLowerCase() === root.toLowerCase()))
      .catch(() => setAnchored(undefined))
  }, [root, batch, session.reader, session.config])

  if (records.length === 0)
    return (
      <EmptyState title={task.status === 'failed' ? 'No records: the task was refunded' : 'Records appear once the settlement is confirmed'} icon="⛓" />
    )
  const allOk = checks.every((c) => c.leafOk && c.proofOk)
  const pages = Math.ceil(records.length / RECORDS_PER_PAGE)
  const from = all ? 0 : (Math.min(page, pages) - 1) * RECORDS_PER_PAGE
  const shown = records.map((r, i) => ({ r, i })).slice(from, all ? records.length : from + RECORDS_PER_PAGE)
  return (
    <>
      <p className={`proof-summary ${allOk ? 'pos' : 'neg'}`} data-testid="proof-summary">
        {allOk ? '✓' : '✕'} {checks.filter((c) => c.leafOk && c.proofOk).length} of {records.length} records verified in your browser against jobs root{' '}
        <code title={root}>{shortHex(root, 10, 6)}</code>
        {anchored === true && <span> · root anchored on chain ✓</span>}
        {anchored === false && <span className="neg"> · the chain holds a different root ✕</span>}
      </p>
      {pages > 1 && !open ? (
        <p>
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setOpen(true)}>
            Show the {records.length} records
          </button>
        </p>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Worker</th>
                  <th scope="col">Result hash</th>
                  <th scope="col">Verdict</th>
                  <th scope="col">Proof</th>
                </tr>
              </thead>
              <tbody>
                {shown.map(({ r, i }) => {
                  const ok = checks[i]!.leafOk && checks[i]!.proofOk
                  const steps = typeof r.proof === 'string' ? JSON.parse(r.proof).length : r.proof.length
                  return (
                    <tr key={`${r.batch_id}:${r.leaf}`}>
                      <td data-label="Job">
                        <code title={`chain job id ${r.chain_job_id}`}>{jobIndex?.has(r.job_id) ? `#${jobIndex.get(r.job_id)}` : shortHex(r.chain_job_id, 8, 4)}</code>
                      </td>
                      <td data-label="Worker">
                        <Hex value={r.worker} copy={false} />
                      </td>
                      <td data-label="Result hash">
                        <Hex value={r.result_hash} />
                      </td>
                      <td data-label="Verdict"><StatusBadge status={r.verdict === 1 ? 'accepted' : 'rejected'} /></td>
                      <td data-label="Proof">
                        <span className={ok ? 'pos' : 'neg'} title={`${steps} proof steps; leaf ${ok ? 'and path match' : 'or path does not match'}`}>
                          {ok ? '✓ verified' : '✕ invalid'}
                        </span>
                      </td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          {pages > 1 &&
            (all ? (
              <p className="pager">
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll(false)}>
                  Show {RECORDS_PER_PAGE} per page
                </button>
              </p>
            ) : (
              <Pager page={Math.min(page, pages)} pages={pages} onPage={setPage} label="Pages of records">
                <button type="button" className="btn btn-ghost btn-small" onClick={() => setAll(true)}>
                  Show all {records.length}
                </button>
              </Pager>
            ))}
        </>
      )}
      {records[0]?.tx_hash && (
        <p className="muted small">
          Settled in transaction <Hex value={records[0].tx_hash} />
        </p>
      )}
    </>
  )
}
