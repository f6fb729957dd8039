// Second test run on PostgreSQL: the database and server suites again, each test market in a database of its own.
import { spawnSync } from 'node:child_process'

if (!process.env.TEST_DATABASE_URL) {
  console.log('PostgreSQL run skipped: set TEST_DATABASE_URL (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres) to run it; .ci/run does.')
  process.exit(0)
}
console.log(`PostgreSQL run against ${new URL(process.env.TEST_DATABASE_URL).host}`)
const result = spawnSync('npx', ['vitest', 'run', 'packages/db', 'apps/server'], { stdio: 'inherit' })
process.exit(result.status ?? 1)
