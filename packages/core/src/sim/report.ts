import { formatTokens } from '../money.ts'
import { DISHONEST, STRATEGIES, STRATEGY_LABELS, TOKEN } from './population.ts'
import { type JobCounts, type SimStats, profit } from './stats.ts'

/** The brief's targets, as the simulation measures them. */
export const TARGETS = { wrongPaidBps: 10, settledResultsPerJob: 1.3 } as const

/** Results per job: leases issued (checks and expired leases included) per job posted. */
export const resultsPerJob = (c: JobCounts) => c.leases / Math.max(1, c.jobs)
/** Paid results that were wrong, as a share of paid results. */
export const wrongPaidShare = (c: JobCounts) => c.wrongPaid / Math.max(1, c.paidResults)

export type TargetCheck = { name: string; value: string; ok: boolean }

/** Each target with its measured value and whether it holds. */
export function checkTargets(stats: SimStats): TargetCheck[] {
  const checks: TargetCheck[] = [
    { name: 'wrong results paid < 0.1%', value: pct(wrongPaidShare(stats.all)), ok: wrongPaidShare(stats.all) < TARGETS.wrongPaidBps / 10_000 },
    { name: 'results per job ≤ 1.3 once settled', value: resultsPerJob(stats.settled).toFixed(3), ok: resultsPerJob(stats.settled) <= TARGETS.settledResultsPerJob },
  ]
  for (const s of DISHONEST) {
    const l = stats.byStrategy[s]
    if (l.identities === 0) continue
    checks.push({ name: `${s}: profit < 0`, value: tokens(profit(l)), ok: profit(l) < 0n })
  }
  return checks
}

function pct(x: number): string {
  return `${(x * 100).toFixed(3)}%`
}

function tokens(x: bigint): string {
  const whole = Number(x / (TOKEN / 1_000n)) / 1_000
  return whole.toLocaleString('en-US', { maximumFractionDigits: 1, minimumFractionDigits: 1 })
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n')
}

/** The simulation's printed report: market figures, each strategy's ledger, time to trust, the targets. */
export function formatReport(stats: SimStats, header: string): string {
  const { all, settled } = stats
  const market = table([
    ['', 'all jobs', 'settled (2nd half)'],
    ['jobs posted', `${all.jobs}`, `${settled.jobs}`],
    ['jobs accepted / failed', `${all.accepted} / ${all.failed}`, `${settled.accepted} / ${settled.failed}`],
    ['wrong results paid (% of paid results)', pct(wrongPaidShare(all)), pct(wrongPaidShare(settled))],
    ['wrong jobs accepted (% of accepted)', pct(all.acceptedWrong / Math.max(1, all.accepted)), pct(settled.acceptedWrong / Math.max(1, settled.accepted))],
    ['results per job (leases, checks included)', resultsPerJob(all).toFixed(3), resultsPerJob(settled).toFixed(3)],
    ['  of which checks of lone jobs per job', (all.checkLeases / Math.max(1, all.jobs)).toFixed(3), (settled.checkLeases / Math.max(1, settled.jobs)).toFixed(3)],
  ])
  const ledger = table([
    ['strategy', 'identities', 'retired', 'results', 'wrong', 'wrong paid', 'paid', 'computing', 'slashed', 'profit', 'per identity'],
    ...STRATEGIES.filter((s) => stats.byStrategy[s].identities > 0).map((s) => {
      const l = stats.byStrategy[s]
      return [STRATEGY_LABELS[s], `${l.identities}`, `${l.retired}`, `${l.results}`, `${l.wrongResults}`, `${l.wrongPaid}`, tokens(l.paid), tokens(l.spent), tokens(l.slashed), tokens(profit(l)), tokens(profit(l) / BigInt(l.identities))]
    }),
  ])
  const t = stats.timeToTrust
  const trust =
    `time to trust (${t.joined} honest nodes joining during the run, ${t.trusted} got unreplicated work): ` +
    `median ${percentile(t.ownResults, 0.5)} of their own results (p90 ${percentile(t.ownResults, 0.9)}), ` +
    `median ${percentile(t.marketJobs, 0.5)} market jobs after joining (p90 ${percentile(t.marketJobs, 0.9)})`
  const lines = [
    header,
    '',
    market,
    '',
    'tokens (paid net of fees; computing at half the price for honest work; profit = paid − computing − slashed):',
    ledger,
    '',
    trust,
    `honest nodes that never got a lease: ${stats.honestIdle} of ${stats.honestNodes} (demand is a quarter of the nodes a tick; proven nodes are offered work first)`,
    `honest results outvoted by a wrong majority: ${stats.honestOutvoted}; lone jobs checked by a second proven node: ${stats.checks}`,
    `quote for a level-1 CPU task at the end: ${stats.quote.expected.toFixed(3)} results per job expected; settled jobs took ${stats.quote.realized.toFixed(3)}`,
    `treasury took in ${tokens(stats.treasuryIn)} tokens in fees and slashes; ${stats.ticks} ticks`,
    '',
    'targets:',
    ...checkTargets(stats).map((c) => `  ${c.ok ? 'ok  ' : 'MISS'} ${c.name}: ${c.value}`),
  ]
  return lines.join('\n')
}
