import { describe, expect, it } from 'vitest'
import { START, address, useTestMarket } from './testMarket.ts'
import { TRANSACTION_ATTEMPTS, type Tx } from './tx.ts'

const m = useTestMarket()
const event = { type: 'POLL_VOTE', taskId: 't', votes: 1 } as const
const addProfile = (tx: Tx) => tx.query('INSERT INTO profiles (address) VALUES ($1)', [address(1)])
const profiles = async () => (await m.db.query('SELECT address FROM profiles')).length

describe('createTransactor', () => {
  it('publishes an operation’s events once it commits, and none when it rolls back', async () => {
    const heard = m.heard('topic')
    const during = await m.transact(async (tx) => {
      tx.publish('topic', event)
      return heard.length
    })
    expect(during).toBe(0)
    expect(heard).toEqual([event])
    await expect(m.transact(async (tx) => {
      tx.publish('topic', event)
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(heard).toEqual([event])
  })

  it('gives every statement of an operation the clock’s time when it began', async () => {
    m.clock.advance(90)
    const seen = await m.transact(async (tx) => {
      const first = tx.now
      m.clock.advance(60)
      return [first, tx.now]
    })
    expect(seen).toEqual([new Date(START + 90_000), new Date(START + 90_000)])
    expect(await m.once(async (tx) => tx.now)).toEqual(new Date(START + 150_000))
  })

  it('rolls a failed transaction back, while once keeps each statement it ran', async () => {
    await expect(m.transact(async (tx) => {
      await addProfile(tx)
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(await profiles()).toBe(0)
    await expect(m.once(async (tx) => {
      await addProfile(tx)
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(await profiles()).toBe(1)
  })

  it('runs an operation with its parameters in a transaction', async () => {
    const operation = async (tx: Tx, { n }: { n: number }) => {
      await addProfile(tx)
      if (n > 1) throw new Error('too many')
      return n
    }
    expect(await m.run(operation, { n: 1 })).toBe(1)
    await m.reset()
    await expect(m.run(operation, { n: 2 })).rejects.toThrow('too many')
    expect(await profiles()).toBe(0)
  })

  it('runs a transaction PostgreSQL rolled back as a deadlock victim again, publishing only the try that commits', async () => {
    const heard = m.heard('topic')
    let tries = 0
    const result = await m.transact(async (tx) => {
      tries++
      await addProfile(tx)
      tx.publish('topic', { ...event, votes: tries })
      if (tries < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
      return tries
    })
    expect(result).toBe(3)
    expect(await profiles()).toBe(1)
    expect(heard).toEqual([{ ...event, votes: 3 }])
    // Any other failure, or a deadlock every time, is the caller's.
    await m.reset()
    let always = 0
    await expect(m.transact(async () => {
      always++
      throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
    })).rejects.toThrow('deadlock detected')
    expect(always).toBe(TRANSACTION_ATTEMPTS)
    let once = 0
    await expect(m.transact(async () => {
      once++
      throw Object.assign(new Error('duplicate key'), { code: '23505' })
    })).rejects.toThrow('duplicate key')
    expect(once).toBe(1)
  })
})
