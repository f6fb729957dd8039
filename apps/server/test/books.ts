import { TaskEscrow, devAccount, posterOfTaskId } from '@taskmarket/chain'
import { formatTokens } from '@taskmarket/core'
import { type Address, type Hex, getAddress, parseEventLogs } from 'viem'
import { expect } from 'vitest'
import type { TestMarket } from './market.ts'

/**
 * The escrow's books from the chain alone: every account any escrow event names (and the treasury, and the
 * poster of every task) with its internal balance, and every task id with what it still locks. The token
 * balance the contract holds must equal their sum, to the wei.
 */
export async function escrowBooks(m: TestMarket) {
  const escrow = m.contractsFor(devAccount(0)).escrow
  const logs = await m.publicClient.getLogs({ address: escrow.address, fromBlock: 0n, toBlock: 'latest' })
  const events = parseEventLogs({ abi: TaskEscrow.abi, logs, strict: false })
  const accounts = new Set<Address>([getAddress(m.server.chain.deployment.treasury)])
  const taskIds = new Set<Hex>()
  for (const e of events) {
    for (const v of Object.values((e.args ?? {}) as Record<string, unknown>)) {
      if (typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v)) accounts.add(getAddress(v))
    }
    const taskId = (e.args as { taskId?: Hex } | undefined)?.taskId
    if (taskId) {
      taskIds.add(taskId.toLowerCase() as Hex)
      accounts.add(posterOfTaskId(taskId))
    }
  }
  const balances = await Promise.all([...accounts].map((a) => escrow.read.balanceOf([a])))
  const locked = new Map<Hex, bigint>()
  for (const id of taskIds) locked.set(id, (await escrow.read.getTask([id])).locked)
  const held = await m.contractsFor(devAccount(0)).token.read.balanceOf([escrow.address])
  const sum = balances.reduce((a, b) => a + b, 0n) + [...locked.values()].reduce((a, b) => a + b, 0n)
  return { held, sum, locked, balance: Object.fromEntries([...accounts].map((a, i) => [a, balances[i]!])) as Record<Address, bigint> }
}

/**
 * Money is conserved and the server tells the truth: the escrow contract holds exactly its internal
 * balances plus what tasks lock, and for every task the API shows, what it says is locked is what the
 * chain holds (a task the server refused shows 0, whatever an attacker locked under its id).
 */
export async function expectHonestBooks(m: TestMarket) {
  const books = await escrowBooks(m)
  expect(books.held).toBe(books.sum)
  const tasks = await m.server.db.query<{ id: string; chain_task_id: Hex; escrow_state: string }>('SELECT id, chain_task_id, escrow_state FROM tasks')
  const api = m.server.app
  for (const t of tasks) {
    const view = (await api.inject({ method: 'GET', url: `/tasks/${t.id}`, cookies: {} })).json()
    if (!view.escrow) continue // restricted tasks are not public; the database row is checked below
    const chainLocked = books.locked.get(t.chain_task_id) ?? 0n
    expect(view.escrow.locked, `task ${t.id} (${t.escrow_state})`).toBe(formatTokens(t.escrow_state === 'locked' ? chainLocked : 0n))
  }
  const [row] = await m.server.db.query<{ v: string }>(`SELECT coalesce(sum(reward - escrow_paid), 0)::text AS v FROM tasks WHERE escrow_state = 'locked'`)
  const lockedByServer = tasks.filter((t) => t.escrow_state === 'locked').reduce((s, t) => s + (books.locked.get(t.chain_task_id) ?? 0n), 0n)
  expect(BigInt(row!.v)).toBe(lockedByServer)
  return books
}
