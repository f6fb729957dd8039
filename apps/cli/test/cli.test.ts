import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devPrivateKey, freePort } from '@taskmarket/chain'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli, spawnMarket } from './spawnCli.ts'

let market: Awaited<ReturnType<typeof spawnMarket>> | undefined
afterAll(async () => {
  market?.child.kill('SIGINT')
  await market?.exited
})

const alive = (pid: number) => { try { process.kill(pid, 0); return true } catch { return false } }

describe('taskmarket CLI', () => {
  it('starts the platform, posts and pays a task from the command line, stops on Ctrl-C and resumes', { timeout: 240_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-cli-'))
    const port = await freePort()
    market = await spawnMarket(['--port', String(port), '--home', home, '--workers', '2'])
    expect(market.output).toContain(`http://localhost:${port}/docs`)
    expect(market.output).toContain('2 local workers running')
    // The URL `taskmarket start` prints, which is its PUBLIC_URL: Sign-In with Ethereum is made for it.
    const env = { TASKMARKET_SERVER: `http://localhost:${port}`, TASKMARKET_KEY: devPrivateKey(2) }

    expect((await runCli(['wallet', 'buy', '--faucet', '200', '--json'], env)).code).toBe(0)
    expect((await runCli(['wallet', 'deposit', '100', '--json'], env)).code).toBe(0)
    const bad = await runCli(['task', 'create', '--type', 'synthetic', '--payload', '{"seed":"0x1","matrix_size":0,"iterations":1}', '--reward', '1'], env)
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain('payload.matrix_size')

    const created = await runCli(['task', 'create', '--type', 'synthetic', '--payload', '{"seed":"0xbeef","matrix_size":32,"iterations":10}', '--reward', '7.5', '--replication', '2', '--wait', '--json'], env)
    expect(created.code, created.stderr).toBe(0)
    const task = JSON.parse(created.stdout)
    expect(task.status).toBe('completed')
    expect(task.result.result_hash).toMatch(/^0x[0-9a-f]{64}$/)

    const balance = JSON.parse((await runCli(['wallet', 'balance', '--json'], env)).stdout)
    expect(balance).toMatchObject({ wallet: '100', deposited: '92.5' })

    // Ctrl-C stops the workers, the server and the chain it started.
    const anvilPid = Number(readFileSync(join(home, 'chain', 'anvil.pid'), 'utf8'))
    expect(alive(anvilPid)).toBe(true)
    market.child.kill('SIGINT')
    expect(await market.exited).toBe(0)
    expect(market.output).toContain('stopped')
    expect(alive(anvilPid)).toBe(false)
    expect(existsSync(join(home, 'chain', 'chain-state.json'))).toBe(true)

    // A second start resumes: same contracts, the task and the balances are still there.
    market = await spawnMarket(['--port', String(port), '--home', home])
    const shown = await runCli(['task', 'show', task.task_id, '--json'], env)
    expect(JSON.parse(shown.stdout)).toMatchObject({ status: 'completed', result: { result_hash: task.result.result_hash } })
    expect(JSON.parse((await runCli(['wallet', 'balance', '--json'], env)).stdout)).toMatchObject({ deposited: '92.5' })
  })
})
