/**
 * `npm run test:nat`: the NAT suite needs root (it builds network namespaces,
 * nftables routers and starts coturn). Without root it says so in one line and
 * how to run it; as root, a missing tool is a failure that says what to install.
 * Then: build the app if stale, and run the Playwright suite in test/nat.
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { buildApp, isBuildStale } from '../../relay/build.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** Tool → Debian package that provides it. */
const TOOLS: Record<string, string> = { ip: 'iproute2', nft: 'nftables', turnserver: 'coturn' }

if (process.getuid?.() !== 0) {
  console.log('NAT suite skipped: it needs root for network namespaces; run it with `sudo npm run test:nat` (CI runs it as root).')
  process.exit(0)
}

const missing = Object.entries(TOOLS).filter(([tool]) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
if (missing.length > 0) {
  console.error(`NAT suite: missing ${missing.map(([tool]) => tool).join(', ')}; install with: apt-get install ${missing.map(([, pkg]) => pkg).join(' ')}`)
  process.exit(1)
}

if (await isBuildStale(ROOT)) await buildApp(ROOT)
const playwright = fileURLToPath(new URL('../../node_modules/@playwright/test/cli.js', import.meta.url))
const run = spawnSync(process.execPath, [playwright, 'test', '-c', 'test/nat/playwright.config.ts', ...process.argv.slice(2)], { cwd: ROOT, stdio: 'inherit' })
process.exit(run.status ?? 1)
