import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { type Database, createDatabase } from './database.ts'

/**
 * With TEST_DATABASE_URL set (CI's PostgreSQL run), the URL of a fresh, empty database of its own on that
 * server, so suites running side by side never see each other's rows; without it, undefined.
 */
export async function freshTestDatabaseUrl(): Promise<string | undefined> {
  const admin = process.env.TEST_DATABASE_URL
  if (!admin) return undefined
  const name = `tm_test_${randomUUID().replaceAll('-', '')}`
  const pool = new pg.Pool({ connectionString: admin, max: 1 })
  await pool.query(`CREATE DATABASE ${name}`)
  await pool.end()
  const url = new URL(admin)
  url.pathname = `/${name}`
  return url.toString()
}

/** A migrated database for a test: PostgreSQL when TEST_DATABASE_URL is set, in-memory PGlite otherwise. */
export async function createTestDatabase(): Promise<Database> {
  return createDatabase({ databaseUrl: await freshTestDatabaseUrl(), poolSize: 4 })
}
