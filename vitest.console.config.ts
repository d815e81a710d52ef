import { defineConfig } from 'vitest/config'

/** Console tests in a real Chromium (`npm run test:console`). */
export default defineConfig({
  test: {
    include: ['test/console/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
