import { STRATEGIES, type SimNode, type Strategy } from './population.ts'

/** Counts over a set of jobs: all of them, or those posted once reputations settled (the run's second half). */
export type JobCounts = {
  jobs: number
  accepted: number
  acceptedWrong: number
  failed: number
  /** Leases issued for these jobs, their checks included (a timed-out lease counts: it used a node). */
  leases: number
  checkLeases: number
  /** Results paid, and of them wrong. */
  paidResults: number
  wrongPaid: number
}

export const noJobs = (): JobCounts => ({ jobs: 0, accepted: 0, acceptedWrong: 0, failed: 0, leases: 0, checkLeases: 0, paidResults: 0, wrongPaid: 0 })

/** One strategy's nodes together, every identity it registered included. */
export type StrategyLedger = {
  identities: number
  results: number
  wrongResults: number
  wrongPaid: number
  /** Net tokens received, spent computing, lost to slashes; profit = paid − spent − slashed. */
  paid: bigint
  spent: bigint
  slashed: bigint
  /** Identities put under review or banned. */
  retired: number
}

export type SimStats = {
  all: JobCounts
  settled: JobCounts
  /** Lone jobs checked by a second, proven node once their result was in. */
  checks: number
  /** Wrong results returned. */
  wrongResults: number
  byStrategy: Record<Strategy, StrategyLedger>
  /** Honest results judged invalid (outvoted by a wrong majority). */
  honestOutvoted: number
  /** Honest nodes, and those of them that never got a lease (supply exceeds demand). */
  honestNodes: number
  honestIdle: number
  /** Honest nodes that joined after the start: how many got unreplicated work, after how many of their own results and of the market's jobs. */
  timeToTrust: { joined: number; trusted: number; ownResults: number[]; marketJobs: number[] }
  /** Tokens the treasury took in (fees, slashes). */
  treasuryIn: bigint
  /** The quote's expected results per job for a level-1 task at the end, and what settled jobs took, checks included. */
  quote: { expected: number; realized: number }
  ticks: number
}

export function emptyStats(): SimStats {
  const byStrategy = {} as Record<Strategy, StrategyLedger>
  for (const s of STRATEGIES) byStrategy[s] = { identities: 0, results: 0, wrongResults: 0, wrongPaid: 0, paid: 0n, spent: 0n, slashed: 0n, retired: 0 }
  return {
    all: noJobs(),
    settled: noJobs(),
    checks: 0,
    wrongResults: 0,
    byStrategy,
    honestOutvoted: 0,
    honestNodes: 0,
    honestIdle: 0,
    timeToTrust: { joined: 0, trusted: 0, ownResults: [], marketJobs: [] },
    treasuryIn: 0n,
    quote: { expected: 0, realized: 0 },
    ticks: 0,
  }
}

/** Adds each node's ledger to its strategy's, and the time to trust of the honest nodes that joined late. */
export function tallyNodes(stats: SimStats, nodes: readonly SimNode[]): void {
  for (const n of nodes) {
    const l = stats.byStrategy[n.strategy]
    l.identities++
    l.paid += n.paid
    l.spent += n.spent
    l.slashed += n.slashed
    if (n.standing !== 'unchanged') l.retired++
    if (n.strategy === 'honest') {
      stats.honestNodes++
      if (n.results === 0 && n.counters.timeouts === 0) stats.honestIdle++
    }
    if (n.strategy === 'honest' && n.joinedAtJob > 0) {
      stats.timeToTrust.joined++
      if (n.firstUnreplicated) {
        stats.timeToTrust.trusted++
        stats.timeToTrust.ownResults.push(n.firstUnreplicated.results)
        stats.timeToTrust.marketJobs.push(n.firstUnreplicated.atJob - n.joinedAtJob)
      }
    }
  }
}

/** Net profit of a ledger, base units. */
export function profit(l: StrategyLedger): bigint {
  return l.paid - l.spent - l.slashed
}
