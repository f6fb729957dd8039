import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export type GasPerTask = { gasPerTask: number; detail: string[] } | { failed: string }

const contractsDir = fileURLToPath(new URL('../../contracts/', import.meta.url))

/**
 * Gas of one 3-replica compute task amortized over a batch of 100, as `npm run gas` measures it
 * (contracts/scripts/gas.ts runs its own anvil). The script runs on import and exports nothing, so it is
 * run as a child process and its `Headline:` line is read; the per-path lines are kept as detail.
 * @example const g = await measureGasPerTask(); if ('gasPerTask' in g) g.gasPerTask
 */
export async function measureGasPerTask({ timeoutMs = 300_000, attempts = 2 }: { timeoutMs?: number; attempts?: number } = {}): Promise<GasPerTask> {
  let result: GasPerTask = { failed: 'not run' }
  // A second attempt: the script's anvil takes a port that was free a moment before, which another
  // process on a busy machine can take first.
  for (let i = 0; i < attempts && 'failed' in result; i++) result = await runGasScript(timeoutMs)
  return result
}

async function runGasScript(timeoutMs: number): Promise<GasPerTask> {
  // The same TypeScript loader this process runs under (tsx), so gas.ts runs as `npm run gas` runs it.
  const child = spawn(process.execPath, [...process.execArgv, 'scripts/gas.ts'], { cwd: contractsDir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c: Buffer) => (output += c))
  child.stderr.on('data', (c: Buffer) => (output += c))
  const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs)
  timer.unref()
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  const headline = /Headline:\s*([\d,]+)/.exec(output)
  if (code !== 0 || !headline) {
    return { failed: `contracts/scripts/gas.ts exited with ${code}${headline ? '' : ' and printed no "Headline:" line'}: ${output.trim().split('\n').slice(-3).join(' | ')}` }
  }
  const table = output.slice(output.indexOf('Amortized gas'), output.indexOf('Headline:')).trim().split('\n')
  return { gasPerTask: Number(headline[1]!.replaceAll(',', '')), detail: table }
}
