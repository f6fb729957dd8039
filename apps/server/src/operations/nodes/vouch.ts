import { TaskMarketError } from '@taskmarket/core'
import type { Address } from 'viem'
import { vouchRuns } from '../../repositories/runs.ts'
import type { Tx } from '../tx.ts'

export type VouchNodeParameters = { worker: Address; kinds: readonly string[]; by: Address; minRun: number }

/**
 * The operator vouches for a registered node on compute kinds: it counts as proven there (adaptive
 * replication's run of `minRun`), so that a market can run the full rules from its first job when the operator
 * brings three nodes of its own to anchor them (core's anchorsFor). The node earns nothing by it; one outvoted
 * result or lapsed lease resets its run as any node's.
 */
export async function vouchNode(tx: Tx, { worker, kinds, by, minRun }: VouchNodeParameters): Promise<void> {
  const [node] = await tx.query<{ address: string }>('SELECT address FROM nodes WHERE address = $1', [worker])
  if (!node) {
    throw new TaskMarketError('NOT_FOUND', `address: ${worker} has not registered as a node here`, { field: 'address', details: { reason: 'not a registered node' } })
  }
  await vouchRuns(tx, { worker, kinds, minRun, by, at: tx.now })
}
