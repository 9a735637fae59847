import { defineConfig } from '@playwright/test'

/**
 * The NAT suite (`npm run test:nat`, root only): real Chromium in network
 * namespaces behind nftables NAT routers, a real coturn and relay processes.
 * The lab is built once per run (test/nat/fixtures.ts); the app is built first.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  // one lab, browsers in pairs: one case at a time on a 2-core machine
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  retries: 0,
  reporter: [['list']],
  use: { trace: 'retain-on-failure' }
})
