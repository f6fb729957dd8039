import type { NodeRecords } from '@taskmarket/sdk'
import { type ReactNode, useState } from 'react'
import type { Address, Hex } from 'viem'
import { EmptyState, ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Pager } from '../../components/Pager.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { client } from '../../lib/api.ts'
import { readBatchRoot } from '../../lib/chain.ts'
import { shortHex } from '../../lib/format.ts'
import { verifyRecord } from '../../lib/recordProof.ts'
import { Link } from '../../lib/router.tsx'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'

/** Job records per page of a node's history. */
export const HISTORY_PER_PAGE = 20

type NodeRecord = NodeRecords['records'][number]
type Outcome = { ok: boolean; text: string } | 'checking'

/** A node's job records of public tasks, newest first, a page at a time, each checkable in the browser. */
export function JobHistory({ address, intervalMs }: { address: Address; intervalMs: number }) {
  const session = useSession()
  const [page, setPage] = useState(1)
  const records = useAsync(() => client.market.nodeRecords(address, { limit: HISTORY_PER_PAGE, offset: (page - 1) * HISTORY_PER_PAGE }), [address, page], { intervalMs, keep: true })
  const { reader, config } = session
  const readRoot = reader && config ? (batchId: Hex) => readBatchRoot(reader, config, batchId) : undefined
  const pages = Math.max(1, Math.ceil((records.data?.total ?? 0) / HISTORY_PER_PAGE))
  return (
    <>
      <ErrorNote error={records.error} onRetry={records.reload} />
      {records.loading && !records.data ? (
        <Loading label="Reading the job history…" />
      ) : records.data ? (
        <NodeRecordsTable address={address} records={records.data.records} readRoot={readRoot}>
          {pages > 1 && <Pager page={Math.min(page, pages)} pages={pages} onPage={setPage} label="Pages of job history" previous="← Newer" next="Older →" />}
        </NodeRecordsTable>
      ) : null}
    </>
  )
}

/**
 * Job records with a "Check proof" action each: the leaf is rebuilt from the record and its proof followed to
 * the jobs root; with `readRoot` that root is also compared with the one the escrow anchored. `children` go
 * under the table (the pager).
 */
export function NodeRecordsTable({ address, records, readRoot, children }: { address: Address; records: NodeRecord[]; readRoot?: (batchId: Hex) => Promise<Hex>; children?: ReactNode }) {
  const [outcomes, setOutcomes] = useState<ReadonlyMap<string, Outcome>>(new Map())
  if (records.length === 0) return <EmptyState title="No job records yet" icon="⛓">Records appear once a settlement of this node’s work is confirmed on chain.</EmptyState>
  const check = async (key: string, r: NodeRecord) => {
    setOutcomes((m) => new Map(m).set(key, 'checking'))
    const outcome = await verifyRecord(r, r.chain_task_id, readRoot)
    setOutcomes((m) => new Map(m).set(key, outcome))
  }
  return (
    <>
      <div className="table-wrap">
        <table className="table table-stack">
          <thead>
            <tr>
              <th scope="col">Task</th>
              <th scope="col">Job</th>
              <th scope="col">Verdict</th>
              <th scope="col">Proof</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => {
              const key = `${r.batch_id}:${r.leaf}`
              const outcome = outcomes.get(key)
              return (
                <tr key={key}>
                  <td data-label="Task">
                    <Link to={`/tasks/${r.task_id}`}>
                      <code>{r.task_id.slice(0, 8)}</code>
                    </Link>
                  </td>
                  <td data-label="Job">
                    <code title={`chain job id ${r.chain_job_id}`}>{shortHex(r.chain_job_id, 8, 4)}</code>
                  </td>
                  <td data-label="Verdict"><StatusBadge status={r.verdict === 1 ? 'accepted' : 'rejected'} /></td>
                  <td data-label="Proof">
                    {outcome === undefined ? (
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => void check(key, r)}>
                        Check proof
                      </button>
                    ) : outcome === 'checking' ? (
                      <span className="muted">Checking…</span>
                    ) : (
                      <span className={outcome.ok ? 'pos' : 'neg'} role="status">
                        {outcome.ok ? '✓' : '✕'} {outcome.text}
                      </span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {children}
      {readRoot ? (
        <p className="muted small">Check proof rebuilds the record’s leaf from its fields, follows its Merkle proof to the settlement’s root, and compares that root with the one the escrow contract anchored (TaskEscrow.batchRoot).</p>
      ) : (
        <>
          <p className="muted small">
            Check proof rebuilds the record’s leaf from its fields and follows its Merkle proof to the root the market lists: this browser has no chain reader to compare it with the escrow’s. To check every record against the chain, run:
          </p>
          <pre className="code code-wrap">npx taskmarket proofs {address}</pre>
        </>
      )}
    </>
  )
}
