import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

const web = join(import.meta.dirname, 'apps/web')

/** Files that load the whole machine on purpose (64 worker loops against one server): run alone. */
const alone = ['apps/server/test/limits.test.ts']

/**
 * Adaptive replication draws by chance which jobs of a proven node go alone, and a new task's jobs wait a few
 * seconds for its best-ranked nodes. Tests of other things count results and shares and start their workers
 * in any order, so their markets (and the servers they start as processes) never prove a node and offer work
 * to all at once; the tests of those two rules set their own (apps/server/test/adaptive.test.ts,
 * apps/server/src/operations/jobs/activate.test.ts).
 */
const env = { ADAPTIVE_MIN_RUN: '1000000', OFFER_WINDOW_SECONDS: '0' }

/**
 * Four projects, one `vitest run`: everything in Node two files at a time, the web app's component tests in
 * jsdom, then the files that must have the machine to themselves, then the web app's browser end-to-end
 * tests (Chromium against `taskmarket start`), last and alone.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['{contracts,packages,apps,bench,scripts}/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'apps/web/**', ...alone],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          env,
          pool: 'forks',
          // Two files at once: most wait on anvil, the database or a child process (vitest's default is one
          // fewer than the cores, so one on a 2-core machine).
          maxWorkers: 2,
        },
      },
      {
        extends: join(web, 'vite.config.ts'),
        test: {
          name: 'web',
          root: web,
          environment: 'jsdom',
          include: ['src/**/*.test.{ts,tsx}'],
          setupFiles: ['./src/test/setup.ts'],
          testTimeout: 30_000,
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'node-alone',
          include: alone,
          env,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          pool: 'forks',
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'web-e2e',
          include: ['apps/web/e2e/**/*.test.ts'],
          environment: 'node',
          env,
          testTimeout: 600_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // After every other suite, so the browser and the market's workers have the machine to themselves.
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
})
