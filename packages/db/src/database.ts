import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'
import { migrate } from './migrate.ts'

export type Row = Record<string, any>

/** What every query runner offers: a transaction or the database itself. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>
}

/** One interface over PGlite (embedded) and PostgreSQL (`DATABASE_URL`). */
export interface Database extends Queryable {
  readonly dialect: 'pglite' | 'postgres'
  /** Runs `fn` in a transaction; rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export type CreateDatabaseParameters = { databaseUrl?: string; dataDir?: string; poolSize?: number }

/**
 * Opens the database and runs pending migrations: PostgreSQL when `databaseUrl` is set, otherwise PGlite
 * in `dataDir` (in memory when both are absent).
 * @example const db = await createDatabase({ dataDir: '.taskmarket/db' })
 */
export async function createDatabase(params: CreateDatabaseParameters = {}): Promise<Database> {
  const db = params.databaseUrl ? createPostgres(params.databaseUrl, params.poolSize ?? 10) : await createPglite(params.dataDir)
  await migrate(db)
  return db
}

async function createPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true })
  const client = new PGlite(dataDir)
  await client.waitReady
  return {
    dialect: 'pglite',
    async query(sql, params) {
      return (await client.query(sql, params as unknown[])).rows as any[]
    },
    transaction(fn) {
      return client.transaction((tx) => fn({ async query(sql, params) { return (await tx.query(sql, params as unknown[])).rows as any[] } }))
    },
    async close() {
      await client.close()
    },
  }
}

function createPostgres(url: string, max: number): Database {
  // numeric(78,0) token amounts stay strings; bigint counters become numbers only where safe, so keep strings.
  const pool = new pg.Pool({ connectionString: url, max })
  return {
    dialect: 'postgres',
    async query(sql, params) {
      return (await pool.query(sql, params as unknown[])).rows
    },
    async transaction(fn) {
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        const result = await fn({ async query(sql, params) { return (await client.query(sql, params as unknown[])).rows } })
        await client.query('COMMIT')
        return result
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        throw error
      } finally {
        client.release()
      }
    },
    async close() {
      await pool.end()
    },
  }
}
