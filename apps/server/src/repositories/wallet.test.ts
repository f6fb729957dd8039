import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertRow, insertTask } from './testRows.ts'
import { creditedTotal, posterEscrow, walletHistory } from './wallet.ts'

const poster = '0xA11cE00000000000000000000000000000000001'
const other = '0xb0B0000000000000000000000000000000000002'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
  const event = (block: number, index: number, event: string, amount: number, accounts: string[]) =>
    insertRow(db, 'chain_events', { block_number: block, log_index: index, tx_hash: `0x${block}${index}`, contract: 'escrow', event, args: { amount: String(amount) }, accounts, block_time: new Date(block * 1000) })
  await event(10, 0, 'BalanceCredited', 5, [poster.toLowerCase()])
  await event(10, 1, 'BalanceCredited', 7, [poster.toLowerCase(), other.toLowerCase()])
  await event(12, 0, 'Deposited', 100, [poster.toLowerCase()])
  await event(11, 3, 'BalanceCredited', 1000, [other.toLowerCase()])
})
afterAll(() => db?.close())

describe('wallet', () => {
  it('sums what is locked and awaiting for one poster’s tasks, ignoring the others', async () => {
    expect(await posterEscrow(db, poster)).toEqual({ v: '0', awaiting: '0' })
    await insertTask(db, { poster, escrow_state: 'locked', reward: 100, escrow_paid: 40 })
    await insertTask(db, { poster, escrow_state: 'locked', reward: 10 })
    await insertTask(db, { poster, escrow_state: 'awaiting', reward: 3 })
    await insertTask(db, { poster, escrow_state: 'released', reward: 1000, escrow_paid: 1000 })
    await insertTask(db, { poster: other, escrow_state: 'locked', reward: 500 })
    expect(await posterEscrow(db, poster)).toEqual({ v: '70', awaiting: '3' })
  })

  it('pages the events naming an account, newest first, whatever the address’s case', async () => {
    const history = await walletHistory(db, { account: poster, limit: 10, offset: 0 })
    expect(history.map((e) => [e.block_number, e.log_index])).toEqual([['12', 0], ['10', 1], ['10', 0]])
    expect(history[0]).toMatchObject({ event: 'Deposited', args: { amount: '100' }, time: 12 })
    expect((await walletHistory(db, { account: poster, limit: 1, offset: 1 })).map((e) => e.log_index)).toEqual([1])
    expect((await walletHistory(db, { account: other, limit: 10, offset: 0 })).map((e) => e.block_number)).toEqual(['11', '10'])
  })

  it('sums the balances credited to an account', async () => {
    expect(await creditedTotal(db, poster)).toBe('12')
    expect(await creditedTotal(db, other)).toBe('1007')
    expect(await creditedTotal(db, '0x0000000000000000000000000000000000000009')).toBe('0')
  })
})
