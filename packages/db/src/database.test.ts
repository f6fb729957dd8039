import { afterAll, describe, expect, it } from 'vitest'
import { type Database, createDatabase } from './index.ts'

const targets: [string, () => Promise<Database>][] = [['pglite', () => createDatabase()]]
const pgUrl = process.env.TEST_DATABASE_URL
if (pgUrl) targets.push(['postgres', () => createDatabase({ databaseUrl: pgUrl })])

describe.each(targets)('%s', (_name, open) => {
  let db: Database
  afterAll(() => db?.close())

  it('migrates once and twice without harm', async () => {
    db = await open()
    const { migrate } = await import('./migrate.ts')
    await migrate(db)
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM schema_migrations')
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1)
  })

  it('rolls a failed transaction back', async () => {
    const address = `0x${'ab'.repeat(20)}`
    await db.query('DELETE FROM accounts WHERE address = $1', [address])
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO accounts (address) VALUES ($1)', [address])
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    expect(await db.query('SELECT * FROM accounts WHERE address = $1', [address])).toEqual([])
  })

  it('keeps token amounts exact', async () => {
    const rows = await db.query<{ v: string }>('SELECT $1::numeric(78,0)::text AS v', ['1000000000000000000000000001'])
    expect(rows[0]!.v).toBe('1000000000000000000000000001')
  })
})
