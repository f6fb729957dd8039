import { TaskEscrow } from '@taskmarket/chain'
import { jobRecordLeaf, verifyMerkleProof } from '@taskmarket/core'
import type { NodeRecords } from '@taskmarket/sdk'
import { type Address, type Hex, createPublicClient, http, isAddress } from 'viem'
import { UsageError, args } from '../args.ts'
import type { Output } from '../output.ts'
import { openSession } from './session.ts'

export const proofsHelp = `taskmarket proofs ADDRESS [--server URL] [--rpc URL] [--limit N]

Checks a node's job history against the chain, trusting the market for nothing: each job record of a public
task the market lists for ADDRESS is rebuilt into its Merkle leaf, its proof is checked against its
settlement's root, and that root against the one the escrow contract anchored for the batch
(TaskEscrow.batchRoot). Newest first; --limit N checks only the newest N. Needs no key; --rpc (or RPC_URL)
when the market's chain is not local. Exits 1 when any record does not check.`

type Checked = { job_id: string; task_id: string; verdict: 'accepted' | 'rejected'; ok: boolean; reason?: string }

/** Records fetched per request (the route's page limit). */
const PAGE = 500

/** `taskmarket proofs ADDRESS`: verifies every job record of a node against the settlement roots on chain. */
export async function proofs(argv: string[], out: Output): Promise<number> {
  const { values, positionals } = args(argv, { server: { type: 'string' }, rpc: { type: 'string' }, limit: { type: 'string' } })
  const address = positionals[0]
  if (!address || !isAddress(address)) throw new UsageError(`proofs needs a node's address (0x and 40 hex digits), got ${address ?? 'nothing'}`)
  const limit = values.limit === undefined ? Number.POSITIVE_INFINITY : Number(values.limit)
  if (values.limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new UsageError(`--limit must be a whole number of at least 1, got ${values.limit}`)
  const { client } = await openSession(values, { needAuth: false })
  const config = await client.market.config()
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? config.rpc_url
  if (!rpcUrl) throw new UsageError('this market’s chain is not local: give --rpc URL (or RPC_URL)')
  const chain = createPublicClient({ transport: http(rpcUrl) })
  const anchored = new Map<string, Promise<Hex>>()
  const rootOf = (batchId: Hex) => {
    if (!anchored.has(batchId)) anchored.set(batchId, chain.readContract({ address: config.contracts.escrow, abi: TaskEscrow.abi, functionName: 'batchRoot', args: [batchId] }))
    return anchored.get(batchId)!
  }

  const checked: Checked[] = []
  let total = Number.POSITIVE_INFINITY
  while (checked.length < Math.min(total, limit)) {
    const page = await client.market.nodeRecords(address, { limit: Math.min(PAGE, limit - checked.length), offset: checked.length })
    total = page.total
    if (page.records.length === 0) break
    for (const record of page.records) {
      checked.push(await check(record, rootOf))
      out.progress(checked.length / Math.min(total, limit), `${checked.length} of ${Math.min(total, limit)} records checked`)
    }
  }
  out.done()
  const failed = checked.filter((c) => !c.ok)
  const accepted = checked.filter((c) => c.verdict === 'accepted').length
  const lines = [
    `${checked.length} job records of ${address}${total > checked.length ? ` (the newest of ${total})` : ''}: ${accepted} accepted, ${checked.length - accepted} rejected`,
    failed.length === 0
      ? `every one checks: its leaf, its Merkle proof, and its settlement's root as the escrow contract anchored it`
      : `${failed.length} do NOT check:`,
    ...failed.map((f) => `  job ${f.job_id} of task ${f.task_id}: ${f.reason}`),
  ]
  out.result({ address, total, checked: checked.length, accepted, rejected: checked.length - accepted, failed }, lines.join('\n'))
  return failed.length === 0 ? 0 : 1
}

/** Checks one record from its own fields: the leaf it claims, the proof to its root, the root on chain. */
async function check(r: NodeRecords['records'][number], rootOf: (batchId: Hex) => Promise<Hex>): Promise<Checked> {
  const verdict = r.verdict === 1 ? 'accepted' : 'rejected'
  const base = { job_id: r.job_id, task_id: r.task_id, verdict } as const
  const leaf = jobRecordLeaf({ taskId: r.chain_task_id as Hex, jobId: r.chain_job_id as Hex, worker: r.worker as Address, resultHash: r.result_hash as Hex, verdict: r.verdict })
  if (leaf !== r.leaf.toLowerCase()) return { ...base, ok: false, reason: `its fields hash to leaf ${leaf}, not the ${r.leaf} listed` }
  if (!verifyMerkleProof(r.jobs_root as Hex, leaf, r.proof as Hex[])) return { ...base, ok: false, reason: `its proof does not lead to root ${r.jobs_root}` }
  const onChain = await rootOf(r.batch_id as Hex)
  if (onChain.toLowerCase() !== r.jobs_root.toLowerCase()) return { ...base, ok: false, reason: `batch ${r.batch_id} is anchored with root ${onChain} on chain, not ${r.jobs_root}` }
  return { ...base, ok: true }
}
