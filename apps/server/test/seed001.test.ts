import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { devAccount } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from './market.ts'

const run = promisify(execFile)
const examples = fileURLToPath(new URL('../../../examples/seed001/', import.meta.url))
// Debian's python3 carries python3-requests (installed by .ci/run).
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3'

let m: TestMarket
let env: Record<string, string>
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(3))
  const poster = await m.poster(3)
  env = { ...process.env, TASK_MARKET_URL: m.server.url, TASK_MARKET_API_KEY: poster.key } as Record<string, string>
})
afterAll(() => m?.close())

describe("seed 001's Python examples", () => {
  it('create_task.py posts an inference task and reads its status', async () => {
    const { stdout } = await run(python, [`${examples}create_task.py`], { env })
    const id = /Task created: ([0-9a-f-]{36})/.exec(stdout)?.[1]
    expect(id).toBeDefined()
    expect(stdout).toContain(`'task_id': '${id}'`)
    expect(stdout).toContain("'status': 'pending'")
    expect(stdout).toContain("'reward': '10'")
    const { stdout: page } = await run(python, [`${examples}list_tasks.py`], { env })
    expect(page).toContain(`'task_id': '${id}'`)
    expect(page).toMatch(/'total': 1, 'limit': 20, 'offset': 0/)
  })
})
