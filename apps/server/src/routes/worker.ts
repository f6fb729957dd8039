import { Type } from 'typebox'
import { HeartbeatResponse, LEVEL1_STAKE_TOKENS, Lease, Leases, MIN_COMPUTE_TRUST_LEVEL, NodeHardware, NodeList, NodeRegistered, RESOURCE_TYPE_NAMES, TokenAmount, literals, parsePrice, Ok, ResultOutcome, ResultOutcomes, TaskMarketError, challengeTypes, humanKinds } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { DEFAULT_NODE_OFFER, listNodes, registerNode } from '../repositories/nodes.ts'
import { errorResponses, requireAuth } from './authHook.ts'
import { noBody } from './bytesResponse.ts'

const Uuid = Type.String({ format: 'uuid' })
const Digest = Type.Union([Type.String({ pattern: '^0x[0-9a-f]{64}$' }), Type.Null()])
/** Kinds a node can lease: everything but human work (people claim that in the web app). */
const machineKinds = challengeTypes.filter((k) => !humanKinds.includes(k))
const Kinds = Type.Array(Type.Union(machineKinds.map((k) => Type.Literal(k))), { minItems: 1, maxItems: 16 })
const ResultItem = Type.Object(
  {
    assignment_id: Uuid,
    digest: Digest,
    seal: Type.Optional(Type.String({ pattern: '^0x[0-9a-f]{64}$' })),
    error: Type.Optional(Type.String({ maxLength: 2000 })),
    error_code: Type.Optional(Type.String({ pattern: '^[A-Z][A-Z0-9_]{0,63}$', description: 'With a null digest: the executor’s error code (e.g. TIME_LIMIT); replicas agreeing on it decide the job' })),
  },
  { additionalProperties: false },
)

/** The worker gateway: nodes sign every request with their key. */
export async function workerRoutes(app: TypedApp, common: Common) {
  const node = (request: Parameters<typeof requireAuth>[0]) => requireAuth(request, ['node']).address as Address
  const standings = createStandings(common)
  /** A node's trust level and stake, refused below the compute floor: every identity in a quorum has stake at risk. */
  const standing = async (address: Address) => {
    const { level, stake, verifiedPower } = await standings(address)
    if (level < MIN_COMPUTE_TRUST_LEVEL) {
      throw new TaskMarketError('FORBIDDEN', `authorization: node ${address} is at trust level ${level}; compute work needs level ${MIN_COMPUTE_TRUST_LEVEL}: register it and stake ${LEVEL1_STAKE_TOKENS} tokens in the NodeRegistry (taskmarket worker does this on its first run)`, {
        field: 'authorization',
        details: { reason: `needs trust level ${MIN_COMPUTE_TRUST_LEVEL} (${LEVEL1_STAKE_TOKENS} tokens staked)` },
      })
    }
    return { trustLevel: level, stake, verifiedPower }
  }

  app.post(
    '/nodes/register',
    {
      schema: {
        tags: ['workers'],
        summary: 'Advertise a node: cores, memory, executors, and what it offers for matching (resource type, region, price per unit, hardware)',
        body: Type.Object(
          {
            cores: Type.Integer({ minimum: 1, maximum: 4096 }),
            memory_mb: Type.Integer({ minimum: 1, maximum: 16 * 1024 * 1024 }),
            executors: Kinds,
            concurrency: Type.Integer({ minimum: 1, maximum: 1024 }),
            version: Type.Optional(Type.String({ maxLength: 64 })),
            resource_type: Type.Optional(Type.Union(literals(RESOURCE_TYPE_NAMES), { description: 'Seed 003’s provider type; cpu by default' })),
            region: Type.Optional(Type.String({ pattern: '^[a-z0-9-]{1,32}$', description: 'Where the node is, e.g. eu-west; any by default' })),
            price_per_unit: Type.Optional(TokenAmount),
            hardware: Type.Optional(NodeHardware),
          },
          { additionalProperties: false },
        ),
        response: { 200: NodeRegistered, ...errorResponses },
      },
    },
    async (request) => {
      const address = node(request)
      const b = request.body
      const offer = {
        resourceType: b.resource_type ?? DEFAULT_NODE_OFFER.resourceType,
        region: b.region ?? DEFAULT_NODE_OFFER.region,
        pricePerUnit: b.price_per_unit === undefined ? 0n : parsePrice(b.price_per_unit, 'price_per_unit'),
        hardware: b.hardware ?? {},
      }
      await registerNode(common.db, { address, cores: b.cores, memoryMb: b.memory_mb, executors: b.executors, concurrency: b.concurrency, version: b.version ?? null, offer })
      return { address, lease_seconds: common.config.leaseSeconds }
    },
  )

  app.post(
    '/jobs/claim',
    {
      schema: {
        tags: ['workers'],
        summary: 'Lease up to `max` jobs of the given kinds',
        body: Type.Object({ kinds: Kinds, max: Type.Integer({ minimum: 1, maximum: 1000 }) }, { additionalProperties: false }),
        response: { 200: Leases, 429: { $ref: 'ErrorResponse#' }, ...errorResponses },
      },
    },
    async (request) => {
      const address = node(request)
      const terms = await standing(address)
      await common.presence.touch(address, terms.stake)
      const leases = await common.orchestrator.claim(address, { kinds: request.body.kinds, max: request.body.max, ...terms })
      common.metrics.jobsClaimed.inc(leases.length)
      return { leases }
    },
  )

  app.post(
    '/jobs/heartbeat',
    {
      schema: {
        tags: ['workers'],
        summary: 'Renew leases and report progress; answers which leases are lost',
        body: Type.Object({ leases: Type.Array(Type.Object({ assignment_id: Uuid, progress: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })) }, { additionalProperties: false }), { maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: HeartbeatResponse, ...errorResponses },
      },
    },
    async (request) => {
      const address = node(request)
      await common.presence.touch(address)
      return common.orchestrator.heartbeat(address, request.body.leases)
    },
  )

  app.post(
    '/jobs/results',
    {
      schema: {
        tags: ['workers'],
        summary: 'Submit results (digest = sha256 of the uploaded output, seal = H(worker, task, job, digest))',
        body: Type.Object({ results: Type.Array(ResultItem, { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: ResultOutcomes, ...errorResponses },
      },
    },
    async (request) => {
      const address = node(request)
      const outcomes = await common.orchestrator.submit(address, request.body.results.map((r) => ({ ...r, digest: r.digest as Hex | null, seal: r.seal as Hex | undefined })))
      common.metrics.resultsSubmitted.inc(outcomes.length)
      common.kickRelayer()
      return { results: outcomes }
    },
  )

  app.post(
    '/jobs/release',
    {
      schema: {
        tags: ['workers'],
        summary: 'Give leases back (a stopping worker)',
        body: Type.Object({ assignment_ids: Type.Array(Uuid, { maxItems: 1000 }) }, { additionalProperties: false }),
        response: { 200: Ok, ...errorResponses },
      },
    },
    async (request) => {
      await common.orchestrator.release(node(request), request.body.assignment_ids)
      return { ok: true as const }
    },
  )

  // Seed 000's worker routes: one job at a time.
  app.get('/tasks/next', { schema: { tags: ['workers', 'seed 000'], summary: 'Lease the next job (any kind this node runs)', querystring: Type.Object({ kinds: Type.Optional(Type.String()) }), response: { 200: Lease, 204: noBody('No job to lease now'), 429: { $ref: 'ErrorResponse#' }, ...errorResponses } } }, async (request, reply) => {
    const address = node(request)
    const kinds = (request.query.kinds ? request.query.kinds.split(',') : machineKinds).filter((k) => machineKinds.includes(k as never))
    await common.presence.touch(address)
    const [lease] = await common.orchestrator.claim(address, { kinds, max: 1, ...(await standing(address)) })
    if (!lease) return reply.status(204).send()
    return lease
  })

  app.post('/tasks/complete', { schema: { tags: ['workers', 'seed 000'], summary: 'Submit one result', body: ResultItem, response: { 200: ResultOutcome, ...errorResponses } } }, async (request) => {
    const [outcome] = await common.orchestrator.submit(node(request), [{ ...request.body, digest: request.body.digest as Hex | null, seal: request.body.seal as Hex | undefined }])
    common.kickRelayer()
    return outcome!
  })

  app.get('/nodes', { schema: { tags: ['workers'], summary: 'Nodes seen by this market (public)', response: { 200: NodeList } } }, async () => {
    return { nodes: await listNodes(common.db) }
  })
}

const TRUST_TTL_MS = 30_000

type Standing = { level: number; stake: bigint; verifiedPower: bigint }

/**
 * A node's on-chain trust level and stake, read at most every 30 s per node (they change with staking,
 * slashes and settlements, so a node slashed a moment ago may be offered work against its old stake for
 * up to 30 s: at most one more round of leases, each still slashable).
 */
function createStandings(common: Common) {
  const cache = new Map<string, Standing & { at: number }>()
  return async (address: Address): Promise<Standing> => {
    const cached = cache.get(address)
    if (cached && Date.now() - cached.at < TRUST_TTL_MS) return cached
    const { registry } = common.chain.contracts
    const [level, node] = await Promise.all([registry.read.trustLevel([address]), registry.read.getNode([address])])
    const standing = { level: Number(level), stake: node.stake, verifiedPower: node.verifiedPower }
    if (cache.size > 100_000) cache.clear()
    cache.set(address, { ...standing, at: Date.now() })
    return standing
  }
}
