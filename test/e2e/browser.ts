import { existsSync } from 'node:fs'
import { chromium } from '@playwright/test'

/**
 * Which Chromium to drive: $CHROMIUM_PATH if set, else a Playwright-managed
 * browser if one is installed, else the system's (Debian: /usr/bin/chromium).
 * `undefined` means "let Playwright use its own".
 */
export function chromiumExecutable (): string | undefined {
  const fromEnv = process.env.CHROMIUM_PATH
  if (fromEnv != null && fromEnv !== '') {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH=${fromEnv} does not exist`)
    return fromEnv
  }
  try {
    if (existsSync(chromium.executablePath())) return undefined
  } catch {}
  const system = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find(path => existsSync(path))
  if (system != null) return system
  throw new Error('No Chromium found. Install one with `npx playwright install chromium` or `sudo apt-get install chromium`, or set CHROMIUM_PATH.')
}

/** Keep headless Chromium quiet, local and at full speed on a closed network (see shared PLATFORM notes). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows'
]
