import { Type } from 'typebox'
import { ListPage, MarketStats, computeKinds, TaskMarketError, NodeRecords, NodeView, formatTokens, isProven, nodeFacts, nodeState, taskStatuses, trustLevelName, unreplicatedProbability } from '@taskmarket/core'
import { getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { authBy, errorResponses, isOperator, requireAuth } from './authHook.ts'
import { noBody } from './bytesResponse.ts'
import { heldLeases, nodeRecords, nodeSeen, nodeSlashes, reputationHistory, workerJobCounts } from '../repositories/nodes.ts'
import { escrowTotals, hourlyTasks, nodeCounts, tasksByKind, tasksByStatus } from '../repositories/stats.ts'
import { openReview } from '../repositories/reviews.ts'
import { runsOf } from '../repositories/runs.ts'
import { clearNodeReview } from '../operations/nodes/review.ts'
import { vouchNode } from '../operations/nodes/vouch.ts'
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

  const AddressParams = Type.Object({ address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) })

  app.get(
    '/nodes/:address',
    { schema: { tags: ['workers'], summary: 'One node: on-chain stake, trust, state and reputation, its slashes and reputation history, and its work here (public)', params: AddressParams, response: { 200: NodeView, ...errorResponses } } },
    async (request) => {
      const address = getAddress(request.params.address)
      const { adaptive } = common.config
      const { registry } = common.chain.contracts
      const [node, trust, seen, jobs, earned, held, slashes, history, runs, review] = await Promise.all([
        registry.read.getNode([address]),
        registry.read.trustLevel([address]),
        nodeSeen(common.db, address),
        workerJobCounts(common.db, address),
        creditedTotal(common.db, address),
        heldLeases(common.db, address),
        nodeSlashes(common.db, address),
        reputationHistory(common.db, address),
        runsOf(common.db, address),
        openReview(common.db, address),
      ])
      const state = nodeState(nodeFacts(node, { lastHeartbeatAt: seen ? seen.last_seen * 1000 : undefined, leases: held.leases, underReview: Boolean(review) }), Date.now())
      return {
        address,
        registered: node.registered,
        stake: formatTokens(node.stake),
        unstaking: formatTokens(node.unstaking),
        trust_level: Number(trust),
        trust_level_name: trustLevelName(Number(trust)),
        state,
        reputation_bps: node.reputation,
        pow_passes: node.powPasses,
        tasks_completed: node.tasksCompleted,
        tasks_failed: node.tasksFailed,
        verified_power: node.verifiedPower.toString(),
        earned: formatTokens(BigInt(earned)),
        jobs_accepted: jobs.accepted,
        jobs_rejected: jobs.rejected,
        leases: held.leases,
        stake_at_risk: formatTokens(BigInt(held.at_risk)),
        slashes: slashes.map((s) => ({ ...s, amount: formatTokens(BigInt(s.amount)) })),
        reputation_history: history,
        runs: [...runs].map(([kind, run]) => ({
          kind, consecutive_valid: run.consecutiveValid, proven: isProven(run, adaptive), unreplicated_probability: unreplicatedProbability(run.consecutiveValid, adaptive.minRun),
        })),
        review: review ?? null,
        last_seen: seen?.last_seen ?? null,
        executors: seen?.executors ?? [],
        cores: seen?.cores ?? null,
        memory_mb: seen?.memory_mb ?? null,
      }
    },
  )

  app.get(
    '/nodes/:address/records',
    {
      schema: {
        tags: ['workers'],
        summary: 'A node’s job history: its job records of public tasks, newest first, each with the Merkle proof that checks it against its settlement’s root on chain (public)',
        params: AddressParams,
        querystring: Type.Object(ListPage, { additionalProperties: false }),
        response: { 200: NodeRecords, ...errorResponses },
      },
    },
    async (request) => nodeRecords(common.db, getAddress(request.params.address), { limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 }),
  )

  app.post(
    '/nodes/:address/review/clear',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['workers'],
        summary: 'Clear a node’s review for repeated failures, so it takes work again (the operator only)',
        params: AddressParams,
        response: { 204: noBody('Cleared: the node takes work again'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = operator(requireAuth(request).address, 'clears a review')
      await common.transactor.run(clearNodeReview, { worker: getAddress(request.params.address), by: me })
      return reply.status(204).send()
    },
  )

  app.post(
    '/nodes/:address/vouch',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['workers'],
        summary: 'Vouch for a registered node on compute kinds: it counts as proven there, to anchor a new market’s replicated jobs (the operator only)',
        params: AddressParams,
        body: Type.Object({ kinds: Type.Array(Type.Union(computeKinds.map((k) => Type.Literal(k))), { minItems: 1, maxItems: computeKinds.length }) }, { additionalProperties: false }),
        response: { 204: noBody('Vouched: the node counts as proven on these kinds'), ...errorResponses },
      },
    },
    async (request, reply) => {
      const me = operator(requireAuth(request).address, 'vouches for a node')
      await common.transactor.run(vouchNode, { worker: getAddress(request.params.address), kinds: request.body.kinds, by: me, minRun: common.config.adaptive.minRun })
      return reply.status(204).send()
    },
  )

  /** The caller's address when it is the market's operator; otherwise a 403 saying what only the operator does. */
  function operator(caller: string, does: string) {
    const me = getAddress(caller)
    if (!isOperator(common, me)) {
      throw new TaskMarketError('FORBIDDEN', `address: only the market’s operator ${does}`, { field: 'address', details: { reason: 'operator only' } })
    }
    return me
  }
}
