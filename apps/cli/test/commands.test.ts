import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { devAccount, devPrivateKey } from '@taskmarket/chain'
import { type Worker, createWorker } from '@taskmarket/worker'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from '../../server/test/market.ts'
import { bin, runCli, runShell } from './spawnCli.ts'

const root = fileURLToPath(new URL('../../../', import.meta.url))
let m: TestMarket
let env: Record<string, string>
const workers: Worker[] = []
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1), { deposit: '366' })
  await m.fund(devAccount(2), { allowance: false })
  // Two compute nodes: the default replication needs two distinct workers to agree.
  for (const account of [devAccount(5), devAccount(6)]) await m.stakedNode(account)
  for (const account of [devAccount(5), devAccount(6)]) {
    const worker = createWorker({ serverUrl: m.server.url, account, concurrency: 2, kinds: ['hash', 'wasm'], idleMs: 200 })
    workers.push(worker)
    void worker.start()
  }
  env = { TASKMARKET_SERVER: m.server.url, TASKMARKET_KEY: devPrivateKey(1) }
}, 180_000)
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })))
  await m?.close()
})

describe('taskmarket without a market', () => {
  it('prints its version, its help as JSON, and the usage of a command given alone (exit 2)', async () => {
    expect(await runCli(['--version'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^taskmarket \d+\.\d+\.\d+\n$/) })
    expect(JSON.parse((await runCli(['--version', '--json'])).stdout)).toEqual({ version: expect.any(String) })
    const help = await runCli(['help', '--json'])
    expect(help.code).toBe(0)
    expect(JSON.parse(help.stdout).commands.map((c: { command: string }) => c.command)).toEqual(expect.arrayContaining(['start', 'worker', 'task', 'blob', 'wallet', 'api-key', 'dispute']))
    const alone = await runCli(['task'])
    expect(alone).toMatchObject({ code: 2, stdout: '' })
    expect(alone.stderr).toContain('give a task command')
    expect(alone.stderr).toContain('taskmarket task create --type KIND')
    const json = await runCli(['task', '--json'])
    expect(json.code).toBe(2)
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'USAGE', message: 'give a task command', usage: expect.stringContaining('task result ID') })
    expect(await runCli(['task', 'create', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('taskmarket task create') })
  })

  it('names the URL it could not reach and how to change it, as JSON under --json', async () => {
    const plain = await runCli(['task', 'list', '--server', 'http://127.0.0.1:9'])
    expect(plain.code).toBe(1)
    expect(plain.stderr).toContain('could not reach the market at http://127.0.0.1:9')
    expect(plain.stderr).toContain('--server URL (or TASKMARKET_SERVER)')
    const json = await runCli(['task', 'list', '--json'], { TASKMARKET_SERVER: 'http://127.0.0.1:9' })
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'UNREACHABLE', url: 'http://127.0.0.1:9', hint: expect.stringContaining('TASKMARKET_SERVER') })
  })
})

describe('taskmarket against a market', () => {
  it('says what is in escrow instead of a raw chain error, for every chain call', async () => {
    const withdraw = await runCli(['wallet', 'withdraw', '100000'], env)
    expect(withdraw.code).toBe(1)
    expect(withdraw.stderr).toContain('withdraw: you have 366 in escrow and this needs 100000')
    expect(withdraw.stderr).not.toMatch(/viem|Contract Call|0x[0-9a-f]{40}/i)
    const json = JSON.parse((await runCli(['wallet', 'withdraw', '100000', '--json'], env)).stdout)
    expect(json.error).toMatchObject({ code: 'TaskEscrowInsufficientBalance', message: expect.stringContaining('you have 366 in escrow') })
    const tooMany = await runCli(['wallet', 'deposit', '5000'], env)
    expect(tooMany.stderr).toContain('you have 634 tokens in your wallet and this needs 5000')
    const noChain = await runCli(['wallet', 'deposit', '1', '--rpc', 'http://127.0.0.1:9'], env)
    expect(noChain.stderr).toContain('could not reach the chain at http://127.0.0.1:9')
  }, 60_000)

  it('shows every field of the balance in words, as the JSON has them', async () => {
    const json = JSON.parse((await runCli(['wallet', 'balance', '--json'], env)).stdout)
    expect(json).toMatchObject({ deposited: '366', unstaking: '0', awaiting: '0' })
    const text = (await runCli(['wallet', 'balance'], env)).stdout
    for (const [key, value] of Object.entries(json)) expect(text).toMatch(key === 'address' ? String(value) : new RegExp(`^  ${key} +${String(value).replace('.', '\\.')} `, 'm'))
    expect(text).toContain('unstaking (withdrawable after the cooldown)')
  })

  it('creates an API key; posting with it beyond the allowance says to run taskmarket wallet approve', async () => {
    const created = await runCli(['api-key', 'create', '--name', 'ci', '--json'], { ...env, TASKMARKET_KEY: devPrivateKey(2) })
    expect(created.code, created.stderr).toBe(0)
    const key = JSON.parse(created.stdout)
    expect(key).toMatchObject({ name: 'ci', key: expect.stringMatching(/^tm_/) })
    const listed = await runCli(['api-key', 'list'], { ...env, TASKMARKET_KEY: devPrivateKey(2) })
    expect(listed.stdout).toContain(key.id)
    const posted = await runCli(['task', 'create', '--type', 'synthetic', '--reward', '1', '--payload', '{"seed":"0x1","matrix_size":4,"iterations":1}'], { TASKMARKET_SERVER: m.server.url, TASKMARKET_API_KEY: key.key })
    expect(posted.code).toBe(1)
    expect(posted.stderr).toContain('error 402 PAYMENT_REQUIRED')
    // The server's own message says it, so curl and SDK users read it too.
    expect(posted.stderr).toContain("raise it with `taskmarket wallet approve <amount>` or on the web app's API keys page")
  })

  it('prints the warnings of the market when posting a kind no online worker runs', async () => {
    const posted = await runCli(['task', 'create', '--type', 'training', '--reward', '1', '--payload', '{"model_architecture":"mlp","dataset_url":"https://example.org/d.csv","epochs":1,"batch_size":8}'], env)
    expect(posted.code, posted.stderr).toBe(0)
    expect(posted.stderr).toContain('warning: no online worker runs training jobs, and taskmarket worker does not run them yet')
  })

  it('uploads a big file with progress and prints its sha256', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tm-blob-'))
    const bytes = randomBytes(9 * 1024 * 1024)
    writeFileSync(join(dir, 'big.bin'), bytes)
    const put = await runCli(['blob', 'put', join(dir, 'big.bin')], env)
    expect(put.code, put.stderr).toBe(0)
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    expect(put.stdout).toBe(`${sha256}  ${join(dir, 'big.bin')} (${bytes.length} bytes, application/octet-stream)\n`)
    expect(put.stderr).toMatch(/100% big\.bin 9\.0 of 9\.0 MB/)
    expect(Buffer.from(await (await fetch(`${m.server.url}/blobs/${sha256}`)).arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('runs the README’s hash and wasm tasks as written and writes their outputs', { timeout: 240_000 }, async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tm-readme-kinds-'))
    const shell: Record<string, string> = { ...env }
    let taskId = ''
    for (const written of readmeBlock('### Hash and wasm tasks from the command line')) {
      // This checkout's CLI and AssemblyScript compiler; the example module from the repository.
      const command = written
        .replaceAll('<task id>', taskId)
        .replace(/^(\w+=\$\()?npx taskmarket /, (_, assign = '') => `${assign}node ${bin} `)
        .replace(/npx asc /, `${join(root, 'node_modules/.bin/asc')} `)
        .replaceAll(' examples/', ` ${root}examples/`)
      const assignment = /^(\w+)=\$\((.*)\)$/.exec(command)
      const run = await runShell(assignment ? assignment[2]! : command, shell, cwd)
      expect(run.code, `${written}\n${run.stdout}\n${run.stderr}`).toBe(0)
      if (assignment) shell[assignment[1]!] = run.stdout.trim()
      const created = /^task (\S+) completed/m.exec(run.stdout)
      if (created) taskId = created[1]!
    }
    const input = readFileSync(join(cwd, 'input.txt'))
    expect(input.length).toBe(260_000)
    const chunks = [0, 1, 2, 3].map((i) => input.subarray(i * 65536, (i + 1) * 65536))
    const lines = readFileSync(join(cwd, 'sums.ndjson'), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l))
    expect(lines).toEqual(chunks.map((c) => ({ algorithm: 'sha256', digest: createHash('sha256').update(c).digest('hex'), length: c.length })))
    expect(readFileSync(join(cwd, 'upper.txt'), 'utf8')).toBe(input.toString('utf8').toUpperCase())
    // The same output over HTTP, anonymously, as the task is public.
    const response = await fetch(`${m.server.url}/tasks/${taskId}/result`)
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(join(cwd, 'upper.txt')))).toBe(true)
  })

  it('says why a task posted with --wait waits, before any worker runs its kind', async () => {
    // The market's workers run hash and wasm only: a synthetic task's quorum of 2 has no one online.
    const args = ['task', 'create', '--type', 'synthetic', '--reward', '1', '--payload', '{"seed":"0x2","matrix_size":4,"iterations":1}', '--wait']
    const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } })
    const exited = new Promise((resolve) => child.on('exit', resolve))
    let stderr = ''
    let timer: NodeJS.Timeout | undefined
    const line = await new Promise<string>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no reason after 30 s:\n${stderr}`)), 30_000)
      child.stderr.on('data', (d) => {
        stderr += d
        const found = /^(.*distinct workers.*)\n/m.exec(stderr)
        if (found) resolve(found[1]!)
      })
      void exited.then(() => reject(new Error(`exited before saying why the task waits:\n${stderr}`)))
    }).finally(() => {
      clearTimeout(timer)
      child.kill('SIGINT')
    })
    await exited
    expect(line).toMatch(/^0% pending 0\/\d+ jobs: needs 2 distinct workers running synthetic jobs; 0 online \(start one with: taskmarket worker\)$/)
  })
})

/** The shell commands of the first ```sh block after `heading` in the README: comments dropped. */
function readmeBlock(heading: string): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const at = readme.indexOf(heading)
  expect(at, heading).toBeGreaterThan(0)
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(at))![1]!
  return block.split('\n').map((line) => line.replace(/\s+#\s.*$/, '').trim()).filter(Boolean)
}

