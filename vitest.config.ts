import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

const web = join(import.meta.dirname, 'apps/web')

/**
 * Three projects, one `vitest run`: everything in Node as before, the web app's component tests in jsdom,
 * and the web app's browser end-to-end test (Chromium against `taskmarket start`), run last and alone.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          include: ['{contracts,packages,apps,bench}/**/*.test.ts'],
          exclude: ['**/node_modules/**', 'apps/web/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
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
          name: 'web-e2e',
          include: ['apps/web/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 600_000,
          hookTimeout: 180_000,
          pool: 'forks',
          // After every other suite, so the browser and the market's workers have the machine to themselves.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
})
