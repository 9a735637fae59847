import { defineConfig } from 'vitest/config'

/** Unit and integration tests run in Node; browser behaviour is covered by Playwright (test/e2e). */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
