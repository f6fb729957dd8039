import type { Database } from './database.ts'
import { migrations } from './migrations.ts'

/** Applies the migrations not yet recorded, each in its own transaction, under an advisory lock so that
 * several servers starting together on one PostgreSQL do not race. */
export async function migrate(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7391001)')
    await tx.query('CREATE TABLE IF NOT EXISTS schema_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
    const done = new Set((await tx.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version))
    for (const [index, sql] of migrations.entries()) {
      const version = index + 1
      if (done.has(version)) continue
      for (const statement of sql.split(/;\s*\n/).map((s) => s.trim()).filter(Boolean)) await tx.query(statement)
      await tx.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version])
    }
  })
}
