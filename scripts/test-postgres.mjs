// Second test run on PostgreSQL, each test market in a database of its own: every suite that sends SQL itself
// (the database package; the server's operations, repositories, outbox and services) and the tests of several
// servers sharing one database. The HTTP and chain tests above them send their SQL through those same pieces and
// ran once already, on PGlite.
import { spawnSync } from 'node:child_process'

if (!process.env.TEST_DATABASE_URL) {
  console.log('PostgreSQL run skipped: set TEST_DATABASE_URL (e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres) to run it; .ci/run does.')
  process.exit(0)
}
console.log(`PostgreSQL run against ${new URL(process.env.TEST_DATABASE_URL).host}`)
const suites = ['packages/db', 'apps/server/src', 'apps/server/test/sharedDatabase.test.ts', 'apps/server/test/nodeReplay.test.ts']
const result = spawnSync('npx', ['vitest', 'run', ...suites], { stdio: 'inherit' })
process.exit(result.status ?? 1)
