import { ADAPTIVE_REPLICATION, type AdaptiveOutcome, type AdaptiveParams, type JobPlan, anchorsFor, decidePlannedJob, isProven, isSuspect, newcomerPlaces, nextAdaptiveState, pickReplicas, planJob, plannedQuorum } from '../adaptiveReplication.ts'
import { feeSchemes, splitPayment } from '../fees.ts'
import { type Requirements, ineligibility, matchBids } from '../matching.ts'
import { mayTakeWork, nodeState } from '../nodeState.ts'
import { type ReplicaResult, judgeLateResult } from '../quorum.ts'
import { estimateTaskCost } from '../quote.ts'
import { type SlashEvent, slashFor } from '../slashing.ts'
import { coversLease } from '../stakeAtRisk.ts'
import { DEFAULT_MIX, DISHONEST, KIND_OF, type Mix, REGIONS, REPLICATED, type SimLease, type SimNode, type SimResource, type Strategy, TOKEN, adaptiveOf, answer, createNode, refresh, works } from './population.ts'
import { type Random, mulberry32, pick, randomInt, shuffle } from './prng.ts'
import { type JobCounts, type SimStats, emptyStats, tallyNodes } from './stats.ts'

export type SimOptions = {
  jobs: number
  nodes: number
  seed: number
  /** Shares of dishonest strategies among the first nodes (default: the brief's). */
  mix?: Mix
  /** Honest nodes that join while the run goes on, as a share of `nodes` (default 10%). */
  arrivals?: number
  /** The platform's own nodes, trusted from the start, as a share of `nodes` (default 3%). */
  platform?: number
  /** A banned or reviewed attacker registers a new identity with a fresh stake (default true). */
  reentry?: boolean
  adaptive?: AdaptiveParams
}

type SimJob = {
  id: number
  kind: string
  truth: string
  req: Requirements
  postedAt: number
  /** How its first lease planned it (the server's planJob); a lapse sends a lone or checked job back replicated. */
  plan?: JobPlan
  /** The unproven nodes it may hold (newcomerPlaces, fixed by its plan); null: no limit. */
  places: number | null
  results: ReplicaResult[]
  out: Map<string, SimLease>
  workers: Set<string>
  /** The lease behind each result, by worker. */
  done: Map<string, SimLease>
  lapsed: number
  issued: number
  needs: number
  state: 'open' | 'valid' | 'failed'
  canonical?: string
  queued: boolean
  tick: number
}

/** Ticks a silent node holds a lease before it expires; a result takes one tick. */
const LEASE_TICKS = 3
/** A job that has used this many leases without a decision fails (its escrow is refunded). */
const MAX_LEASES_PER_JOB = 12
/** A job still open this many ticks after it was posted fails (its escrow is refunded). */
const DEADLINE_TICKS = 100
/** Idle eligible nodes the matching engine ranks for each job. */
const SAMPLE = 8
const SCHEME = feeSchemes[0]!

/**
 * Runs the market for `jobs` jobs over `nodes` nodes with the rules of core (matching, adaptive replication,
 * quorum, stake at risk, slashing, reputation, node states, fees), seeded: the same options give the same
 * figures.
 */
export function runSimulation(options: SimOptions): SimStats {
  const rng: Random = mulberry32(options.seed)
  const adaptive = options.adaptive ?? ADAPTIVE_REPLICATION
  const stats = emptyStats()
  const everyone: SimNode[] = []
  const byId = new Map<string, SimNode>()
  let active: SimNode[] = []
  const jobsById = new Map<number, SimJob>()
  const due = new Map<number, { lease: SimLease; digest: string | null }[]>()
  let queue: SimJob[] = []
  let tick = 0
  let posted = 0
  let nextJobId = 0
  let open = 0

  const join = (strategy: Strategy) => {
    const node = createNode(rng, everyone.length, strategy, posted, adaptive.minRun)
    everyone.push(node)
    byId.set(node.id, node)
    active.push(node)
  }
  const mix = options.mix ?? DEFAULT_MIX
  const platform = Math.round((options.platform ?? 0.03) * options.nodes)
  for (let i = 0; i < options.nodes; i++) {
    let strategy: Strategy = i < platform ? 'platform' : 'honest'
    let edge = platform
    for (const s of DISHONEST) {
      edge += mix[s] * options.nodes
      if (i >= platform && i < Math.round(edge)) {
        strategy = s
        break
      }
    }
    join(strategy)
  }
  const arrivals = Math.round((options.arrivals ?? 0.1) * options.nodes)
  const arrivalEvery = arrivals > 0 ? (options.jobs * 0.8) / arrivals : Infinity
  let arrived = 0
  const settledFrom = options.jobs / 2
  const counts = (job: SimJob): JobCounts[] => {
    return job.postedAt >= settledFrom ? [stats.all, stats.settled] : [stats.all]
  }
  const now = () => tick * 60_000

  function eligible(node: SimNode, job: SimJob): boolean {
    if (node.leases.length >= node.slots || job.workers.has(node.id) || ineligibility(job.req, node.bid)) return false
    const facts = { registered: true, stake: node.stake, powPasses: node.counters.powPasses, powFailures: node.counters.powFailures, lastHeartbeatAt: now(), leases: node.leases.length, slashed: node.standing === 'review', banned: node.standing === 'banned' }
    return mayTakeWork(nodeState(facts, now())) && coversLease(node.stake, node.leases, { reward: node.ask })
  }

  const proven = (node: SimNode, kind: string) => isProven(adaptiveOf(node, kind), adaptive)

  /** The active nodes other than `first` proven on `kind`, counted as far as the anchors a job needs (the server counts those online). */
  function provenOthers(first: SimNode, kind: string): number {
    const enough = anchorsFor(REPLICATED)
    let n = 0
    for (const node of active) if (node !== first && proven(node, kind) && ++n >= enough) break
    return n
  }

  /** A sample of idle eligible nodes (proven ones only when asked) in the matching engine's order. */
  function candidates(job: SimJob, provenOnly = false): SimNode[] {
    const seen = new Set<string>()
    const bids = []
    for (let tries = 0; tries < SAMPLE * 8 && bids.length < SAMPLE && active.length > 0; tries++) {
      const node = active[randomInt(rng, active.length)]!
      if (seen.has(node.id) || (provenOnly && !proven(node, job.kind))) continue
      seen.add(node.id)
      if (eligible(node, job)) bids.push(node.bid)
    }
    return matchBids(job.req, bids).ranked.map((r) => byId.get(r.bid.node)!)
  }

  function lease(job: SimJob, node: SimNode): void {
    const digest = answer(rng, node, job.id, job.truth, job.kind, adaptive.minRun)
    const l: SimLease = { reward: node.ask, jobId: job.id, due: tick + (digest === null ? LEASE_TICKS : 1), node }
    node.leases.push(l)
    job.out.set(node.id, l)
    job.workers.add(node.id)
    job.issued++
    // A checked job's second lease is its check (issued once the first result is in, as the server does).
    const check = job.plan === 'checked' && job.issued === 1
    if (check) stats.checks++
    for (const c of counts(job)) {
      c.leases++
      if (check) c.checkLeases++
    }
    const bucket = due.get(l.due) ?? []
    bucket.push({ lease: l, digest })
    due.set(l.due, bucket)
  }

  function dispatch(job: SimJob): void {
    if (!job.plan) {
      const [first] = candidates(job)
      if (!first) return
      job.plan = planJob(adaptiveOf(first, job.kind), REPLICATED, rng(), provenOthers(first, job.kind), adaptive)
      job.places = newcomerPlaces(job.plan, REPLICATED)
      // A lone or checked job goes to its first node alone: a check is issued once its result is in (decide).
      job.needs = job.plan === 'replicated' ? REPLICATED.targetResults : 1
      lease(job, first)
      job.needs--
      if (job.plan !== 'replicated') first.firstUnreplicated ??= { results: first.results, atJob: posted }
    }
    if (job.needs > 0) {
      const unproven = [...job.workers].filter((id) => !proven(byId.get(id)!, job.kind)).length
      // A job that has filled its newcomer places samples proven nodes only (the server's claim.ts refuses the others).
      const provenOnly = job.places !== null && unproven >= job.places
      const ranked = candidates(job, provenOnly).map((node) => ({ node, proven: proven(node, job.kind), run: adaptiveOf(node, job.kind).consecutiveValid }))
      for (const { node } of pickReplicas(ranked, job.needs, unproven, rng(), job.places)) {
        lease(job, node)
        job.needs--
      }
    }
  }

  function enqueue(job: SimJob): void {
    if (job.queued) return
    job.queued = true
    queue.push(job)
  }

  function newJob(kind: string, req: Requirements): SimJob {
    const id = nextJobId++
    const job: SimJob = { id, kind, truth: `ok:${id}`, req, postedAt: posted, results: [], out: new Map(), workers: new Set(), done: new Map(), lapsed: 0, issued: 0, needs: 0, places: null, state: 'open', queued: false, tick }
    jobsById.set(id, job)
    return job
  }

  function post(): void {
    const resourceType: SimResource = rng() < 0.7 ? 'cpu' : 'gpu'
    const level = rng()
    const req: Requirements = {
      resourceType,
      minTrustLevel: level < 0.65 ? 1 : level < 0.95 ? 2 : 3,
      minUptimeBps: 9_000,
      maxPricePerUnit: (13n * TOKEN) / 10n,
      ...(rng() < 0.3 ? { regions: [pick(rng, REGIONS)] } : {}),
      ...(rng() < 0.2 ? { maxLatencyMs: 150 } : {}),
    }
    const job = newJob(KIND_OF[resourceType], req)
    for (const c of counts(job)) c.jobs++
    posted++
    open++
    enqueue(job)
  }

  function adapt(node: SimNode, kind: string, outcome: AdaptiveOutcome, replicated: boolean): void {
    node.adaptive[kind] = nextAdaptiveState(adaptiveOf(node, kind), outcome, replicated)
    refresh(node)
  }

  function punish(node: SimNode, event: SlashEvent): void {
    const slash = slashFor(event, node)
    node.stake -= slash.amount
    node.slashed += slash.amount
    stats.treasuryIn += slash.amount
    node.counters = slash.counters
    if (slash.standing !== 'unchanged' && node.standing === 'unchanged') retire(node, slash.standing)
    node.stake = node.targetStake // every node tops its stake up again: the slash is what it lost
  }

  function retire(node: SimNode, standing: 'review' | 'banned'): void {
    node.standing = standing
    active = active.filter((n) => n !== node)
    if ((options.reentry ?? true) && (DISHONEST as readonly Strategy[]).includes(node.strategy)) join(node.strategy)
  }

  /** Pays a valid result `net` and counts it: paid (and whether wrong), the node's valid result and its run. */
  function credit(job: SimJob, l: SimLease, digest: string, net: bigint, replicated: boolean): void {
    l.node.paid += net
    for (const c of counts(job)) {
      c.paidResults++
      if (digest !== job.truth) c.wrongPaid++
    }
    if (digest !== job.truth) stats.byStrategy[l.node.strategy].wrongPaid++
    l.node.counters = { ...l.node.counters, validResults: l.node.counters.validResults + 1 }
    adapt(l.node, job.kind, 'valid', replicated)
  }

  /** A result judged on its own: a replica that came after its job was decided. */
  function judge(job: SimJob, l: SimLease, digest: string, verdict: 'valid' | 'invalid', replicated: boolean): void {
    if (verdict === 'invalid') {
      if (digest === job.truth) stats.honestOutvoted++
      punish(l.node, { kind: 'invalidResult', reward: l.reward })
      return adapt(l.node, job.kind, 'invalid', replicated)
    }
    const net = splitPayment(l.reward, SCHEME, [1]).workers[0]!
    stats.treasuryIn += l.reward - net
    credit(job, l, digest, net, replicated)
  }

  function decide(job: SimJob): void {
    const suspects = job.results.filter((r) => isSuspect(byId.get(r.worker)!.reputation, adaptive)).map((r) => r.worker)
    const { quorum, decision: d } = decidePlannedJob(job.plan!, REPLICATED, job.results, { suspects, lapsed: job.lapsed }, job.out.size)
    if (d.state === 'valid') return accept(job, d.digest, d.valid, quorum.minQuorum > 1)
    if (d.state === 'error') return fail(job)
    job.needs = d.issue
    if (job.out.size === 0 && (d.issue === 0 || job.issued + d.issue > MAX_LEASES_PER_JOB)) return fail(job)
    if (d.issue > 0) enqueue(job)
  }

  function accept(job: SimJob, digest: string, valid: readonly string[], replicated: boolean): void {
    job.state = 'valid'
    job.canonical = digest
    open--
    for (const c of counts(job)) {
      c.accepted++
      if (digest !== job.truth) c.acceptedWrong++
    }
    const leases = job.results.map((r) => ({ r, l: job.done.get(r.worker)! }))
    const paid = leases.filter(({ r }) => valid.includes(r.worker))
    const amount = paid.reduce((sum, { l }) => sum + l.reward, 0n)
    const payout = splitPayment(amount, SCHEME, paid.map(({ l }) => Number(l.reward / 10n ** 12n)))
    stats.treasuryIn += payout.treasury + payout.burn
    for (const [i, { r, l }] of paid.entries()) credit(job, l, r.digest!, payout.workers[i]!, replicated)
    for (const { r, l } of leases) if (!valid.includes(r.worker) && r.digest !== null) judge(job, l, r.digest, 'invalid', replicated)
  }

  function fail(job: SimJob): void {
    job.state = 'failed'
    open--
    for (const c of counts(job)) c.failed++
  }

  function arrive(l: SimLease, digest: string | null): void {
    const node = l.node
    const job = jobsById.get(l.jobId)!
    node.leases.splice(node.leases.indexOf(l), 1)
    job.out.delete(node.id)
    if (digest === null) {
      punish(node, { kind: 'timeout', reward: l.reward })
      adapt(node, job.kind, 'timeout', true)
      if (job.state !== 'open') return
      job.lapsed++
      // A lone or checked job whose lease lapses goes back replicated (the server's returnToPool); a posted one stays posted.
      if (job.plan === 'unreplicated' || job.plan === 'checked') job.plan = 'replicated'
      return decide(job)
    }
    node.results++
    const ledger = stats.byStrategy[node.strategy]
    ledger.results++
    if (digest === job.truth) node.spent += node.cost
    else {
      ledger.wrongResults++
      stats.wrongResults++
    }
    if (job.state === 'valid') return judge(job, l, digest, judgeLateResult(job.canonical!, digest), plannedQuorum(job.plan!, REPLICATED).minQuorum > 1)
    if (job.state === 'failed') return
    job.results.push({ worker: node.id, digest })
    job.done.set(node.id, l)
    decide(job)
  }

  // Demand of a quarter of the nodes a tick leaves proven nodes room to anchor newcomers' replicas.
  const jobsPerTick = Math.max(1, Math.round(options.nodes / 4))
  const computed = (a: { lease: SimLease }) => works(a.lease.node.strategy)
  while (posted < options.jobs || open > 0) {
    tick++
    if (tick > 100_000) throw new Error('simulation did not settle')
    const landing = due.get(tick) ?? []
    due.delete(tick)
    // Wrong answers cost nothing to compute, so attackers answer first.
    for (const a of [...shuffle(rng, landing.filter((a) => !computed(a))), ...shuffle(rng, landing.filter(computed))]) arrive(a.lease, a.digest)
    for (let i = 0; i < jobsPerTick && posted < options.jobs; i++) {
      post()
      while (arrived < arrivals && posted >= (arrived + 1) * arrivalEvery) {
        arrived++
        join('honest')
      }
    }
    // Jobs waiting for replicas go first, so that new nodes' replicated work is not starved by new jobs.
    const waiting = [...queue.filter((j) => j.issued > 0), ...queue.filter((j) => j.issued === 0)]
    queue = []
    for (const job of waiting) {
      job.queued = false
      if (job.state !== 'open') continue
      dispatch(job)
      if (tick - job.tick > DEADLINE_TICKS) fail(job)
      else if (!job.plan || job.needs > 0) enqueue(job)
    }
  }
  stats.ticks = tick
  tallyNodes(stats, everyone)
  // A quote for one tick's worth of level-1 CPU jobs, as a poster would ask for it at the end of the run.
  const quote = estimateTaskCost({
    jobs: jobsPerTick,
    unitsPerJob: 1,
    requirements: { resourceType: 'cpu', minTrustLevel: 1, minUptimeBps: 9_000 },
    replication: REPLICATED,
    bids: active.map((n) => n.bid),
    adaptive: Object.fromEntries(active.map((n) => [n.id, adaptiveOf(n, KIND_OF.cpu)])),
  })
  stats.quote = { expected: quote.expectedResultsPerJob, realized: stats.settled.leases / Math.max(1, stats.settled.jobs) }
  return stats
}
