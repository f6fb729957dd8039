import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { ChainError } from './errors.ts'

const require = createRequire(import.meta.url)

export type StartLocalChainParameters = {
  /** Folder for the chain's state file; the chain resumes from it. */
  dataDir: string
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number
  /** Seconds between state dumps, so a crash loses at most this much (default 1). */
  stateInterval?: number
  /** Block time in seconds; every transaction mines at once when omitted. */
  blockTime?: number
}

export type LocalChain = {
  rpcUrl: string
  port: number
  chainId: 31337
  statePath: string
  process: ChildProcess
  /** Stops anvil, letting it write its state; resolves when it has exited. */
  stop(): Promise<void>
}

/** Path of the anvil binary shipped by the `@foundry-rs/anvil` npm package for this platform. */
export function anvilBinary(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  try {
    return join(require.resolve(`${pkg}/package.json`).replace(/package\.json$/, ''), 'bin', 'anvil')
  } catch (cause) {
    throw new ChainError('ANVIL_NOT_FOUND', `${pkg} is not installed; run npm ci`, { cause })
  }
}

/** True when nothing listens on `port` at 127.0.0.1. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)))
  })
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/**
 * Runs anvil on 127.0.0.1 with its state persisted in `dataDir/chain-state.json`.
 * @example const chain = await startLocalChain({ dataDir: '.taskmarket' }); ...; await chain.stop()
 */
export async function startLocalChain(params: StartLocalChainParameters): Promise<LocalChain> {
  mkdirSync(params.dataDir, { recursive: true })
  const pidFile = join(params.dataDir, 'anvil.pid')
  // A chain left running by a process that was killed outright would write the same state file: stop it first.
  await stopStale(pidFile)
  // Keep the port of the last run when it is free, so wallets configured with the RPC URL keep working.
  const portFile = join(params.dataDir, 'anvil.port')
  const previous = existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : undefined
  const port = params.port ?? (previous && (await isFree(previous)) ? previous : await freePort())
  writeFileSync(portFile, String(port))
  const statePath = join(params.dataDir, 'chain-state.json')
  const args = [
    '--host', '127.0.0.1',
    '--port', String(port),
    '--chain-id', '31337',
    '--state', statePath,
    '--state-interval', String(params.stateInterval ?? 1),
    '--preserve-historical-states',
    '--silent',
  ]
  if (params.blockTime) args.push('--block-time', String(params.blockTime))
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'ignore', 'pipe'] })
  if (child.pid) writeFileSync(pidFile, String(child.pid))
  let stderr = ''
  child.stderr?.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  // If this process ends without stop() (an uncaught error, a test timeout), take the chain down with it.
  // A process killed outright cannot do this; the pid file lets the next start clean up after it.
  const killOnExit = () => child.kill('SIGKILL')
  process.once('exit', killOnExit)
  void exited.then(() => process.off('exit', killOnExit))
  const rpcUrl = `http://127.0.0.1:${port}`

  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) {
      throw new ChainError('ANVIL_EXITED', `anvil exited with code ${child.exitCode}: ${stderr.trim()}`)
    }
    if (await answers(rpcUrl)) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new ChainError('ANVIL_TIMEOUT', `anvil did not answer on ${rpcUrl} within 15 s: ${stderr.trim()}`)
    }
    await new Promise((r) => setTimeout(r, 50))
  }

  return {
    rpcUrl,
    port,
    chainId: 31337,
    statePath,
    process: child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
      rmSync(pidFile, { force: true })
    },
  }
}

async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const res = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }),
    })
    return res.ok
  } catch {
    return false
  }
}

/** Stops the anvil named in `pidFile` if it still runs (SIGTERM lets it write its state), then removes the file. */
async function stopStale(pidFile: string) {
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8'))
  const alive = (p: number) => { try { process.kill(p, 0); return true } catch { return false } }
  const isAnvil = (p: number) => { try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('anvil') } catch { return process.platform !== 'linux' } }
  if (Number.isInteger(pid) && pid > 0 && alive(pid) && isAnvil(pid)) {
    process.kill(pid, 'SIGTERM')
    for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50))
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  }
  rmSync(pidFile, { force: true })
}
