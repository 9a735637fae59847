import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base } from '@playwright/test'
import { startRelay, type RelayProcess } from './relay-process.ts'

/** Every test gets its own relay process (some stop it) and a scratch directory. */
export const test = base.extend<{ relay: RelayProcess, scratch: string }>({
  relay: async ({}, use) => {
    const relay = await startRelay()
    await use(relay)
    await relay.stop()
  },
  scratch: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'chiral-e2e-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  }
})

export { expect } from '@playwright/test'
