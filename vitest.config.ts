import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['{contracts,packages,apps,bench}/**/*.test.ts'],
    exclude: ['**/node_modules/**', 'apps/web/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
})
