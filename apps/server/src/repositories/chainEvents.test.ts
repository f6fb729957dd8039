import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ChainEvent, lastIndexedBlock, saveChainEvent, setLastIndexedBlock } from './chainEvents.ts'
import { walletHistory } from './wallet.ts'

const alice = '0xa11ce00000000000000000000000000000000001'
const bob = '0xb0b0000000000000000000000000000000000002'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

const event = (columns: Partial<ChainEvent> = {}): ChainEvent => ({
  blockNumber: 7n,
  logIndex: 0,
  txHash: '0xt1',
  contract: 'escrow',
  event: 'Deposited',
  args: { account: alice, amount: '100' },
  accounts: [alice],
  blockTime: 1_700_000_000,
  ...columns,
})
const stored = (blockNumber: number, logIndex: number) =>
  db.query('SELECT tx_hash, contract, event, args, accounts, extract(epoch from block_time)::int AS time FROM chain_events WHERE block_number = $1 AND log_index = $2', [blockNumber, logIndex]).then((rows) => rows[0])

describe('chain events', () => {
  it('keeps the last indexed block, undefined until the first is set, whatever its size', async () => {
    expect(await lastIndexedBlock(db)).toBeUndefined()
    await setLastIndexedBlock(db, 5n)
    expect(await lastIndexedBlock(db)).toBe(5n)
    await setLastIndexedBlock(db, 2n ** 60n)
    expect(await lastIndexedBlock(db)).toBe(2n ** 60n)
    await setLastIndexedBlock(db, 3n)
    expect(await lastIndexedBlock(db)).toBe(3n)
  })

  it('indexes an event under every account it names, for wallet history', async () => {
    await saveChainEvent(db, event())
    await saveChainEvent(db, event({ blockNumber: 8n, logIndex: 2, txHash: '0xt2', event: 'BalanceCredited', args: { from: alice, to: bob }, accounts: [alice, bob], blockTime: 1_700_000_012 }))
    expect(await stored(7, 0)).toEqual({ tx_hash: '0xt1', contract: 'escrow', event: 'Deposited', args: { account: alice, amount: '100' }, accounts: [alice], time: 1_700_000_000 })
    expect((await walletHistory(db, { account: alice, limit: 10, offset: 0 })).map((e) => [e.block_number, e.log_index, e.time])).toEqual([['8', 2, 1_700_000_012], ['7', 0, 1_700_000_000]])
    expect((await walletHistory(db, { account: bob, limit: 10, offset: 0 })).map((e) => e.tx_hash)).toEqual(['0xt2'])
  })

  it('replaces the hash, name, arguments and accounts of an event indexed again, keeping its contract and time', async () => {
    await saveChainEvent(db, event({ txHash: '0xt1b', contract: 'registry', event: 'Withdrawn', args: { account: bob }, accounts: [bob], blockTime: 1 }))
    expect(await stored(7, 0)).toEqual({ tx_hash: '0xt1b', contract: 'escrow', event: 'Withdrawn', args: { account: bob }, accounts: [bob], time: 1_700_000_000 })
    expect((await walletHistory(db, { account: alice, limit: 10, offset: 0 })).map((e) => e.block_number)).toEqual(['8'])
  })

  it('leaves the time empty when the block’s is not known', async () => {
    await saveChainEvent(db, event({ blockNumber: 9n, blockTime: undefined }))
    expect((await stored(9, 0))!.time).toBeNull()
  })
})
