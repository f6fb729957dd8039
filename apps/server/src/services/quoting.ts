import { ADAPTIVE_REPLICATION, type AdaptiveParams, anchoredRuns, type Bid, ESCROW_DECIMALS, expectedResults, type QuoteRequest, type TaskQuote, TaskMarketError, assertSchema, computeKinds, estimateTaskCost, feeSchemeIdFor, feeSchemes, formatTokens, invalid, matchBids, netPay, parseTokens, payloadSchemas, requiredTrustLevel, requirementsOf } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Address } from 'viem'
import { onlineOffers } from '../repositories/nodes.ts'
import { runsOn } from '../repositories/runs.ts'
import type { BlobStore } from './blobStore.ts'
import type { ChainService } from './chain.ts'
import { planJobs } from './jobPlanner.ts'
import { chainRead, taskReplication } from './posting.ts'

/** Online nodes a quote reads from the chain at most (cheapest first). */
const MAX_QUOTED_NODES = 200

/** Bids a quote shows. */
const SHOWN_BIDS = 20

/** Base units of the escrow's smallest amount: a suggested reward is rounded up to it. */
const ESCROW_UNIT = 10n ** BigInt(18 - ESCROW_DECIMALS)

/**
 * Quotes a task before it is posted (seed 003's `estimateTaskCost`): its jobs and the replication it will
 * get (the very function posting uses), the online nodes that run its kind ranked by seed 003's matching
 * score with the task's requirements, and what it costs at their prices, with the replication adaptive
 * replication expects from those nodes' runs on the kind. Latency is not measured yet: every bid counts as
 * equally near.
 */
export function createQuoting({ db, chain, blobs, adaptive = ADAPTIVE_REPLICATION }: { db: Queryable; chain: ChainService; blobs: BlobStore; adaptive?: AdaptiveParams }) {
  const { registry } = chain.contracts

  async function bidsFor(kind: string): Promise<Bid[]> {
    const offers = await onlineOffers(db, kind, MAX_QUOTED_NODES)
    return Promise.all(offers.map(async (o): Promise<Bid> => {
      const address = o.address as Address
      const [node, level] = await chainRead(() => Promise.all([registry.read.getNode([address]), registry.read.trustLevel([address])]))
      return {
        node: address, resourceType: o.resource_type, region: o.region, pricePerUnit: BigInt(o.price_per_unit),
        verifiedPower: node.verifiedPower, trustLevel: Number(level), reputationBps: node.reputation, latencyMs: 0, uptimeBps: o.uptime_bps,
      }
    }))
  }

  return async function quote(body: QuoteRequest): Promise<TaskQuote> {
    if (!computeKinds.includes(body.challenge_type)) {
      throw invalid('challenge_type', `quotes are for compute work (${computeKinds.join(', ')}); a ${body.challenge_type} task is paid per assignment or respondent as posted`)
    }
    assertSchema(payloadSchemas[body.challenge_type], body.payload, 'payload')
    const replication = taskReplication(body)
    const jobs = (await planJobs(body.challenge_type, body.payload, blobs)).length
    const requirements = requirementsOf(body.requirements, requiredTrustLevel(body.min_trust_level))
    const bids = await bidsFor(body.challenge_type)
    const runs = anchoredRuns(await runsOn(db, body.challenge_type, bids.map((b) => b.node)), replication, adaptive)
    // A node's price counts per job as the results a job takes with it (adaptive replication), as activation ranks it.
    for (const bid of bids) bid.expectedResults = expectedResults(runs.get(bid.node)!, replication, adaptive)
    const scheme = feeSchemes[feeSchemeIdFor(body.challenge_type)]!
    const q = estimateTaskCost({ jobs, unitsPerJob: body.units_per_job ?? 1, requirements, bids, adaptive: Object.fromEntries(runs), adaptiveParams: adaptive, replication, scheme })
    const { ranked, ineligible } = matchBids(requirements, bids)
    const results = BigInt(Math.ceil(jobs * q.expectedResultsPerJob))
    const reward = body.reward === undefined ? undefined : parseTokens(body.reward, 'reward', ESCROW_DECIMALS)
    if (reward !== undefined && reward / results === 0n) throw new TaskMarketError('VALIDATION', `reward: too small to pay ${results} results`, { field: 'reward' })
    return {
      jobs,
      replication: { min_quorum: replication.minQuorum, target_results: replication.targetResults, max_total_results: replication.maxTotalResults },
      expected_results_per_job: q.expectedResultsPerJob,
      unreplicated_share: q.unreplicatedShare,
      eligible_nodes: q.eligibleNodes,
      counted_nodes: q.countedNodes,
      price_per_unit: formatTokens(q.pricePerUnit),
      gross_per_result: formatTokens(q.grossPerResult),
      suggested_reward: formatTokens(((q.total + ESCROW_UNIT - 1n) / ESCROW_UNIT) * ESCROW_UNIT),
      max_reward: formatTokens(((q.maxTotal + ESCROW_UNIT - 1n) / ESCROW_UNIT) * ESCROW_UNIT),
      fee: formatTokens(q.fee),
      ...(reward === undefined ? {} : { reward: { per_result: formatTokens(reward / results), net_per_result: formatTokens(netPay(reward / results, scheme)) } }),
      bids: ranked.slice(0, SHOWN_BIDS).map((r) => ({
        node: r.bid.node as Address, score: r.score, breakdown: r.breakdown, resource_type: r.bid.resourceType, region: r.bid.region,
        price_per_unit: formatTokens(r.bid.pricePerUnit), trust_level: r.bid.trustLevel, reputation_bps: r.bid.reputationBps, uptime_bps: r.bid.uptimeBps,
      })),
      ineligible: ineligible.reduce<Record<string, number>>((by, i) => ({ ...by, [i.reason]: (by[i.reason] ?? 0) + 1 }), {}),
    }
  }
}

export type Quoting = ReturnType<typeof createQuoting>
