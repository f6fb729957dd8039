import { parseArgs } from 'node:util'
import { runSimulation } from './market.ts'
import { DEFAULT_MIX } from './population.ts'
import { checkTargets, formatReport } from './report.ts'

/**
 * `npm run sim -- [--jobs 100000] [--nodes 1000] [--seed 1] [--sleepers 0] [--platform 0.03]`: runs
 * the trust layer's simulation and prints its figures; exits 1 when a target is missed. `--sleepers` moves
 * that share of nodes from honest to sleepers (honest until trusted, then wrong), an attack beyond the brief's
 * population. `--platform` is the share of nodes proven from the start (the operator's own); 0 plays a new
 * market, whose jobs go as posted until enough nodes are proven to anchor them.
 */
const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '100000' },
    nodes: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    sleepers: { type: 'string', default: '0' },
    platform: { type: 'string', default: '0.03' },
  },
})

function positive(name: string, value: string | undefined, min: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be a whole number of at least ${min} (got ${value})`)
    process.exit(2)
  }
  return n
}

function share(name: string, value: string | undefined): number {
  const n = Number(value)
  if (!(n >= 0 && n <= 0.5)) {
    console.error(`--${name} must be a share from 0 to 0.5 (got ${value})`)
    process.exit(2)
  }
  return n
}

const jobs = positive('jobs', values.jobs, 1)
const nodes = positive('nodes', values.nodes, 10)
const seed = positive('seed', values.seed, 0)
const sleepers = share('sleepers', values.sleepers)
const platform = share('platform', values.platform)
const mix = { ...DEFAULT_MIX, sleeper: sleepers }
const started = performance.now()
const stats = runSimulation({ jobs, nodes, seed, mix, platform })
const seconds = (performance.now() - started) / 1_000
const dishonest = Object.values(mix).reduce((a, b) => a + b, 0)
const header =
  `Trust layer simulation: seed ${seed}, ${jobs.toLocaleString('en-US')} jobs, ${nodes.toLocaleString('en-US')} nodes ` +
  `(${Math.round(dishonest * 100)}% dishonest: ${Object.entries(mix).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${Math.round(v * 100)}%`).join(', ')})${platform === 0 ? ', no node proven at the start' : ''}, ${seconds.toFixed(1)} s`
console.log(formatReport(stats, header))
process.exitCode = checkTargets(stats).every((c) => c.ok) ? 0 : 1
