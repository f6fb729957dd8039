import { Type } from 'typebox'
import { MarketStats, NodeView, formatTokens, taskStatuses } from '@taskmarket/core'
import { getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { errorResponses } from './authHook.ts'
import { ESCROW_TOTALS_SQL } from '../services/reconciliation.ts'
import { ONLINE_SECONDS } from '../services/presence.ts'

/** Public numbers about the market: the network page and the node pages. */
export async function statsRoutes(app: TypedApp, common: Common) {
  app.get('/stats', { schema: { tags: ['market'], summary: 'Tasks by status and kind, active workers, tokens escrowed and paid, hourly series (public)', response: { 200: MarketStats } } }, async () => {
    const { db } = common
    const [byStatus, byKind, workers, tokens, series] = await Promise.all([
      db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM tasks GROUP BY status'),
      db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM tasks GROUP BY kind'),
      db.query<{ active: number; total: number }>(`SELECT count(*) FILTER (WHERE last_seen > now() - make_interval(secs => $1))::int AS active, count(*)::int AS total FROM nodes`, [ONLINE_SECONDS]),
      db.query<{ escrowed: string; awaiting: string; paid: string; refunded: string }>(ESCROW_TOTALS_SQL),
      db.query<{ hour: number; posted: number; completed: number }>(
        `SELECT extract(epoch from h)::int AS hour,
                (SELECT count(*)::int FROM tasks WHERE date_trunc('hour', created_at) = h) AS posted,
                (SELECT count(*)::int FROM tasks WHERE date_trunc('hour', completed_at) = h) AS completed
         FROM generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') AS h ORDER BY h`,
      ),
    ])
    return {
      tasks: Object.fromEntries(taskStatuses.map((s) => [s, byStatus.find((r) => r.status === s)?.n ?? 0])) as MarketStats['tasks'],
      by_kind: Object.fromEntries(byKind.map((r) => [r.kind, r.n])),
      workers: workers[0]!,
      tokens: Object.fromEntries(Object.entries(tokens[0]!).map(([k, v]) => [k, formatTokens(BigInt(v))])) as MarketStats['tokens'],
      series,
    }
  })

  app.get(
    '/nodes/:address',
    { schema: { tags: ['workers'], summary: 'One node: on-chain stake, trust and counters, and its work here (public)', params: Type.Object({ address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) }), response: { 200: NodeView, ...errorResponses } } },
    async (request) => {
      const address = getAddress(request.params.address)
      const { registry } = common.chain.contracts
      const [node, trust, [seen], [jobs], [earned]] = await Promise.all([
        registry.read.getNode([address]),
        registry.read.trustLevel([address]),
        common.db.query('SELECT executors, cores, memory_mb, extract(epoch from last_seen)::int AS last_seen FROM nodes WHERE address = $1', [address]),
        common.db.query<{ accepted: number; rejected: number }>(
          `SELECT count(*) FILTER (WHERE status = 'valid')::int AS accepted, count(*) FILTER (WHERE status = 'invalid')::int AS rejected FROM assignments WHERE worker = $1`,
          [address],
        ),
        common.db.query<{ v: string }>(
          `SELECT coalesce(sum((args->>'amount')::numeric), 0)::text AS v FROM chain_events WHERE event = 'BalanceCredited' AND $1 = ANY(accounts)`,
          [address.toLowerCase()],
        ),
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
        earned: formatTokens(BigInt(earned!.v)),
        jobs_accepted: jobs!.accepted,
        jobs_rejected: jobs!.rejected,
        last_seen: seen?.last_seen ?? null,
        executors: seen?.executors ?? [],
        cores: seen?.cores ?? null,
        memory_mb: seen?.memory_mb ?? null,
      }
    },
  )
}
