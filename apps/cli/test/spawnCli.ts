import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const bin = fileURLToPath(new URL('../bin/taskmarket.mjs', import.meta.url))

/** Runs `taskmarket …` to completion; resolves with its exit code and output. */
export function runCli(args: string[], env: Record<string, string> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Runs a bash command line (pipes, $(…), redirections) to completion in `cwd`; resolves with its exit code and output. */
export function runShell(command: string, env: Record<string, string>, cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', command], { env: { ...process.env, ...env }, cwd })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => (stdout += d))
    child.stderr.on('data', (d) => (stderr += d))
    child.on('exit', (code) => resolve({ code, stdout, stderr }))
  })
}

/** Starts `taskmarket start` as its own process and waits until it says it is ready. */
export async function spawnMarket(args: string[], env: Record<string, string> = {}) {
  const child: ChildProcess = spawn(process.execPath, [bin, 'start', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`taskmarket start did not get ready:\n${output}`)), 90_000)
    const check = () => {
      if (output.includes('Press Ctrl-C')) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', check)
    child.stderr!.on('data', check)
    child.on('exit', () => reject(new Error(`taskmarket start exited early:\n${output}`)))
  })
  return { child, exited, get output() { return output } }
}
