import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext } from '@playwright/test'
import { CHROMIUM_ARGS, chromiumExecutable } from '../e2e/browser.ts'

export interface NamespaceBrowser {
  context: BrowserContext
  close(): Promise<void>
}

/** Where Chromium lives when Playwright has none of its own (the lab needs a real path to wrap). */
function chromiumPath (): string {
  return chromiumExecutable() ?? chromium.executablePath()
}

/**
 * Chromium inside a lab host namespace: Playwright starts a wrapper that
 * enters the namespace first (`ip netns exec`), and drives Chromium over its
 * stdio pipe, so the page's network is the namespace's alone. The page is a
 * secure context on the relay's plain-HTTP lab address (as on the internet,
 * where it would be https), and name look-ups are refused except for the lab's
 * IP literals.
 */
export interface NamespaceBrowserOptions {
  /** Plain-HTTP origins to treat as secure contexts. */
  secureOrigins: string[]
  /** IP literals the resolver must let through (relay, STUN/TURN). */
  labIps: string[]
  /** Names resolved to lab addresses, e.g. the TLS relay's name. */
  hosts?: Record<string, string>
  /** Accept the lab's self-signed certificate (the TLS relay stands in for one with a real certificate). */
  acceptLabCertificates?: boolean
}

export async function launchInNamespace (ns: string, options: NamespaceBrowserOptions): Promise<NamespaceBrowser> {
  const dir = mkdtempSync(join(tmpdir(), `chiral-${ns}-`))
  const wrapper = join(dir, 'chromium-in-ns')
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${ns} ${chromiumPath()} "$@"\n`)
  chmodSync(wrapper, 0o755)
  const args = CHROMIUM_ARGS
    .filter(arg => !arg.startsWith('--host-resolver-rules='))
    .concat([
      // without EXCLUDE, even IP-literal STUN/TURN URLs fail (and TURN over TCP yields no candidate at all)
      `--host-resolver-rules=${[
        ...Object.entries(options.hosts ?? {}).map(([name, ip]) => `MAP ${name} ${ip}`),
        'MAP * ~NOTFOUND',
        ...options.labIps.map(ip => `EXCLUDE ${ip}`)
      ].join(', ')}`,
      `--unsafely-treat-insecure-origin-as-secure=${options.secureOrigins.join(',')}`,
      ...(options.acceptLabCertificates === true ? ['--ignore-certificate-errors'] : [])
    ])
  const context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: wrapper,
    args,
    headless: true,
    acceptDownloads: true
  })
  return {
    context,
    close: async () => {
      await context.close().catch(() => {})
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
