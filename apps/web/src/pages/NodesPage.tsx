import type { NodeView } from '@taskmarket/sdk'
import { useState } from 'react'
import type { Address } from 'viem'
import { Field } from '../components/Field.tsx'
import { EmptyState, ErrorNote, Loading } from '../components/Feedback.tsx'
import { Hex } from '../components/Hex.tsx'
import { MiniStat, Tokens } from '../components/MiniStat.tsx'
import { StatusBadge } from '../components/StatusBadge.tsx'
import { WorkerCommand } from '../components/WorkerCommand.tsx'
import { client } from '../lib/api.ts'
import { formatAmount, trustName } from '../lib/format.ts'
import { addMyNode, loadMyNodes, removeMyNode } from '../lib/myNodes.ts'
import { NODE_STATE_TONE } from '../lib/nodeTrust.ts'
import { isOnline, nodePresence, presence } from '../lib/presence.ts'
import { Link } from '../lib/router.tsx'
import { useAsync } from '../state/useAsync.ts'

const DETAILED = 50

type ListedNode = { address: Address; cores: number; memory_mb: number; executors: string[]; concurrency: number; last_seen: number; jobs_accepted: number; jobs_rejected: number }

/** My nodes (addresses kept in this browser) and every node of the market, with stake, trust and earnings. */
export function NodesPage() {
  const [mine, setMine] = useState<Address[]>(() => loadMyNodes())
  const [input, setInput] = useState('')
  const [error, setError] = useState<string>()
  const all = useAsync(async () => {
    const { nodes } = (await client.market.nodes()) as { nodes: ListedNode[] }
    const details = await Promise.all(nodes.slice(0, DETAILED).map((n) => client.market.node(n.address).catch(() => undefined)))
    return nodes.map((n, i) => ({ ...n, detail: details[i] }))
  }, [], { intervalMs: 10_000 })

  return (
    <section className="page">
      <h1>Nodes</h1>
      <p className="lead">Compute nodes stake tokens, prove their power with a proof-of-work challenge, and earn 92% of the rewards of the jobs they get right.</p>

      <div className="card">
        <h2 className="card-title">My nodes</h2>
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault()
            const r = addMyNode(input)
            setMine(r.nodes)
            setError(r.error)
            if (!r.error) setInput('')
          }}
        >
          <Field id="node-address" label="Add a node you run (its address)" error={error} hint="Kept in this browser only">
            <input spellCheck={false} autoComplete="off" placeholder="0x…" value={input} onChange={(e) => setInput(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-secondary">
            Add node
          </button>
        </form>
        {mine.length === 0 ? (
          <EmptyState title="No nodes yet" icon="⬡">
            <p>Run a node on any machine, then add the address it prints here:</p>
            <WorkerCommand />
          </EmptyState>
        ) : (
          <div className="node-cards">
            {mine.map((a) => (
              <MyNode key={a} address={a} onRemove={() => setMine(removeMyNode(a))} />
            ))}
          </div>
        )}
      </div>

      <div className="card">
        <div className="progress-head">
          <h2 className="card-title">All nodes</h2>
          {all.data && all.data.length > 0 && (
            <span className="small muted" data-testid="nodes-online">
              {all.data.filter((n) => isOnline(n.last_seen)).length} of {all.data.length} online (seen in the last minute, idle or working)
            </span>
          )}
        </div>
        <ErrorNote error={all.error} onRetry={all.reload} />
        {all.loading && !all.data ? (
          <Loading label="Loading nodes…" />
        ) : all.data && all.data.length === 0 ? (
          <EmptyState title="No node has joined this market yet" icon="⬡" />
        ) : all.data ? (
          <div className="table-wrap">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Node</th>
                  <th scope="col">Trust</th>
                  <th scope="col" className="num">Stake</th>
                  <th scope="col" className="num">Earned</th>
                  <th scope="col" className="num">Jobs ✓ / ✕</th>
                  <th scope="col">Runs</th>
                  <th scope="col">Seen</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {all.data.map((n) => (
                  <tr key={n.address}>
                    <td className="span-2 stack-first">
                      <span className={`dot ${isOnline(n.last_seen) ? 'dot-on' : ''}`} aria-label={isOnline(n.last_seen) ? 'online' : 'offline'} /> <Hex value={n.address} />
                    </td>
                    <td data-label="Trust">{n.detail ? <TrustBadge level={n.detail.trust_level} /> : '—'}</td>
                    <td className="num" data-label="Stake">{n.detail ? formatAmount(n.detail.stake, 2) : '—'}</td>
                    <td className="num" data-label="Earned">{n.detail ? formatAmount(n.detail.earned, 2) : '—'}</td>
                    <td className="num" data-label="Jobs ✓ / ✕">
                      {n.jobs_accepted} / {n.jobs_rejected}
                    </td>
                    <td className="small" data-label="Runs">
                      {n.executors.join(', ')}
                      <div className="cell-sub">
                        {n.cores} cores · {Math.round(n.memory_mb / 1024)} GB
                      </div>
                    </td>
                    <td data-label="Seen">{presence(n.last_seen)}</td>
                    <td className="span-2">
                      <Link to={`/nodes/${n.address}`} className="btn btn-small btn-ghost" aria-label={`Details of ${n.address}`}>
                        Details
                      </Link>
                      {!mine.includes(n.address) && (
                        <button type="button" className="btn btn-small btn-ghost" onClick={() => setMine(addMyNode(n.address).nodes)} aria-label={`Add ${n.address} to my nodes`}>
                          + Mine
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </section>
  )
}

export function TrustBadge({ level }: { level: number }) {
  return <span className={`badge trust trust-${level}`}>L{level} · {trustName(level)}</span>
}

function MyNode({ address, onRemove }: { address: Address; onRemove: () => void }) {
  const node = useAsync(() => client.market.node(address), [address], { intervalMs: 10_000 })
  const n = node.data as NodeView | undefined
  return (
    <article className="node-card" aria-label={`Node ${address}`}>
      <header>
        <Hex value={address} />
        <button type="button" className="icon-btn" aria-label={`Remove ${address} from my nodes`} title="Remove" onClick={onRemove}>
          ✕
        </button>
      </header>
      {node.error ? (
        <ErrorNote error={node.error} onRetry={node.reload} />
      ) : !n ? (
        <Loading label="Reading the node…" />
      ) : (
        <>
          <div className="node-status">
            <StatusBadge status={n.state} tone={NODE_STATE_TONE[n.state]} />
            <TrustBadge level={n.trust_level} />
            <span className={`dot ${isOnline(n.last_seen) ? 'dot-on' : ''}`} aria-hidden="true" /> {nodePresence(n)}
          </div>
          <dl className="mini-stats">
            <MiniStat label="Stake">
              <Tokens value={n.stake} />
            </MiniStat>
            <MiniStat label="Earned">
              <Tokens value={n.earned} />
            </MiniStat>
            <MiniStat label="Jobs accepted">{n.jobs_accepted}</MiniStat>
            <MiniStat label="Jobs rejected">{n.jobs_rejected}</MiniStat>
            <MiniStat label="Tasks done">{n.tasks_completed}</MiniStat>
            <MiniStat label="PoW passes">{n.pow_passes}</MiniStat>
          </dl>
          {n.executors.length > 0 && <p className="small muted">Runs {n.executors.join(', ')} · {n.cores} cores · {Math.round((n.memory_mb ?? 0) / 1024)} GB</p>}
          <Link to={`/nodes/${address}`} className="small">
            Trust, slashes and job history →
          </Link>
        </>
      )}
    </article>
  )
}
