import { Type } from 'typebox'
import { MarketStats, NodeView, formatTokens, taskStatuses } from '@taskmarket/core'
import { getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { errorResponses } from './authHook.ts'
import { nodeSeen, workerJobCounts } from '../repositories/nodes.ts'
import { escrowTotals, hourlyTasks, nodeCounts, tasksByKind, tasksByStatus } from '../repositories/stats.ts'
import { creditedTotal } from '../repositories/wallet.ts'
import { ONLINE_SECONDS } from '../services/presence.ts'

/** Public numbers about the market: the network page and the node pages. */
export async function statsRoutes(app: TypedApp, common: Common) {
  app.get('/stats', { schema: { tags: ['market'], summary: 'Tasks by status and kind, active workers, tokens escrowed and paid, hourly series (public)', response: { 200: MarketStats } } }, async () => {
    const { db } = common
    const [byStatus, byKind, workers, tokens, series] = await Promise.all([
      tasksByStatus(db),
      tasksByKind(db),
      nodeCounts(db, ONLINE_SECONDS),
      escrowTotals(db),
      hourlyTasks(db),
    ])
    return {
      tasks: Object.fromEntries(taskStatuses.map((s) => [s, byStatus.find((r) => r.status === s)?.n ?? 0])) as MarketStats['tasks'],
      by_kind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])),
      workers,
      tokens: Object.fromEntries(Object.entries(tokens).map(([k, v]) => [k, formatTokens(BigInt(v))])) as MarketStats['tokens'],
      series,
    }
  })

  app.get(
    '/nodes/:address',
    { schema: { tags: ['workers'], summary: 'One node: on-chain stake, trust and counters, and its work here (public)', params: Type.Object({ address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) }), response: { 200: NodeView, ...errorResponses } } },
    async (request) => {
      const address = getAddress(request.params.address)
      const { registry } = common.chain.contracts
      const [node, trust, seen, jobs, earned] = await Promise.all([
        registry.read.getNode([address]),
        registry.read.trustLevel([address]),
        nodeSeen(common.db, address),
        workerJobCounts(common.db, address),
        creditedTotal(common.db, address),
      ])
      return {
        address,
        registered: node.registered,
        stake: formatTokens(node.stake),
        unstaking: formatTokens(node.unstaking),
        trust_level: Number(trust),
        pow_passes: node.powPasses,
        tasks_completed: node.tasksCompleted,
        tasks_failed: node.tasksFailed,
        verified_power: node.verifiedPower.toString(),
        earned: formatTokens(BigInt(earned)),
        jobs_accepted: jobs.accepted,
        jobs_rejected: jobs.rejected,
        last_seen: seen?.last_seen ?? null,
        executors: seen?.executors ?? [],
        cores: seen?.cores ?? null,
        memory_mb: seen?.memory_mb ?? null,
      }
    },
  )
}
