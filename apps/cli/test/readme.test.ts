import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@taskmarket/chain'
import { afterAll, describe, expect, it } from 'vitest'
import { bin, runShell, spawnMarket } from './spawnCli.ts'

/**
 * The README's "Using it" commands, read from the README itself (so it cannot drift) and run as written
 * against `taskmarket start`: only the server address (a free port instead of 8080), the task id the
 * create command printed, and `npx taskmarket` (this checkout's CLI) are filled in.
 */
const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')

/** The shell commands of the first ```sh block after `heading`: continuation lines joined, comments dropped. */
export function readmeCommands(heading: string): string[] {
  const after = readme.slice(readme.indexOf(heading))
  const block = /```sh\n([\s\S]*?)```/.exec(after)?.[1] ?? ''
  return block
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#\s.*$/, '').trim())
    .filter(Boolean)
}

let market: Awaited<ReturnType<typeof spawnMarket>> | undefined
const background: ChildProcess[] = []
afterAll(async () => {
  for (const child of background) child.kill('SIGINT')
  market?.child.kill('SIGINT')
  await market?.exited
})

describe('the README', () => {
  it('"Using it" from the command line works as written: the rendering task completes and its PNG is written', { timeout: 300_000 }, async () => {
    const commands = readmeCommands('From the command line')
    expect(commands.some((c) => c.includes('task create --type rendering'))).toBe(true)
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-readme-'))
    const cwd = mkdtempSync(join(tmpdir(), 'taskmarket-readme-cwd-'))
    const port = await freePort()
    market = await spawnMarket(['--port', String(port), '--home', home])
    const url = `http://localhost:${port}`
    const env: Record<string, string> = { TASKMARKET_SERVER: url, HOME: cwd }
    let taskId = ''
    for (const written of commands) {
      const command = written.replaceAll('http://localhost:8080', url).replaceAll('<task id>', taskId).replace(/^npx taskmarket /, `node ${bin} `)
      const exported = /^export (\w+)=(\S+)$/.exec(command)
      if (exported) {
        env[exported[1]!] = exported[2]!
        continue
      }
      if (/ worker( |$)/.test(command)) {
        // A node runs until stopped: it must start, onboard and register.
        const child = spawn('bash', ['-c', `exec ${command}`], { env: { ...process.env, ...env }, cwd })
        background.push(child)
        let output = ''
        child.stdout!.on('data', (d) => (output += d))
        child.stderr!.on('data', (d) => (output += d))
        await new Promise<void>((resolve, reject) => {
          const timer = setInterval(() => /registered|claiming|waiting for jobs/i.test(output) && (clearInterval(timer), resolve()), 200)
          child.on('exit', (code) => reject(new Error(`${written} exited ${code}:\n${output}`)))
        })
        continue
      }
      const run = await runShell(command, env, cwd)
      expect(run.code, `${written}\n${run.stdout}\n${run.stderr}`).toBe(0)
      if (command.includes('task create')) {
        taskId = /task ([0-9a-f-]{36}) completed/.exec(run.stdout)?.[1] ?? ''
        expect(taskId, run.stdout).not.toBe('')
      }
    }
    const png = readFileSync(join(cwd, 'cornell.png'))
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  })
})
