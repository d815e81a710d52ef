import { defineConfig } from 'vitest/config'

/** Console tests in a real Chromium (`npm run test:console`). */
export default defineConfig({
  test: {
    include: ['test/console/**/*.test.ts'],
    // seeds the demo shop and trains the built-in models once; each suite copies that database
    globalSetup: ['test/support/console-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
})
