import { access } from 'node:fs/promises'
import { join } from 'node:path'
import { buildApp, DIST_DIR, isBuildStale } from './build.ts'
import { runRelay, type RunningRelay } from './main.ts'
import { parseRelayOptions, RELAY_HELP, type Env, type RelayOptions } from './options.ts'

/** A stop that takes longer than this is abandoned: the process exits anyway (code 1). */
export const STOP_TIMEOUT_MS = 5_000
const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const

export interface RelayCommandInit {
  /** The package root: dist/, app/ and node_modules/.bin/vite live here. */
  root: string
  env?: Env
}

/**
 * `npm start` / `chiral relay`: parse flags, build the app if it is stale, run
 * the relay until SIGINT/SIGTERM, then stop it and exit 0. Throws UsageError,
 * BuildError, IdentityError or a listen error (e.g. EADDRINUSE).
 */
export async function relayCommand (argv: readonly string[], init: RelayCommandInit): Promise<void> {
  const options = parseRelayOptions(argv, init.env ?? process.env)
  if (options.help) {
    process.stdout.write(RELAY_HELP)
    return
  }

  // a signal during the build or start-up aborts it; afterwards it stops the relay
  const starting = new AbortController()
  let stop: (() => Promise<void>) | undefined
  let stopping = false
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stop == null) {
      starting.abort(new Error(`interrupted by ${signal}`))
      return
    }
    if (stopping) return
    stopping = true
    const timer = setTimeout(() => {
      process.stderr.write(`chiral: the relay did not stop within ${STOP_TIMEOUT_MS} ms; exiting anyway\n`)
      process.exit(1)
    }, STOP_TIMEOUT_MS)
    timer.unref()
    stop().then(() => { process.exit(0) }, err => {
      process.stderr.write(`chiral: error while stopping: ${(err as Error).message}\n`)
      process.exit(1)
    })
  }
  for (const s of STOP_SIGNALS) process.on(s, onSignal)

  try {
    await start(options, init.root, starting.signal, relay => { stop = relay.stop })
  } catch (err) {
    // interrupted while building or starting: that is a clean stop, not a failure
    if (starting.signal.aborted) return
    throw err
  }
}

async function start (options: RelayOptions, root: string, signal: AbortSignal, started: (relay: RunningRelay) => void): Promise<void> {
  const distDir = join(root, DIST_DIR)
  if (options.build && await isBuildStale(root, { signal })) {
    process.stderr.write('chiral: building the app (dist/ is missing or older than its sources)...\n')
    await buildApp(root, { signal })
  }
  if (!await exists(join(distDir, 'index.html'))) {
    process.stderr.write(`chiral: warning: ${join(distDir, 'index.html')} does not exist, so only /bootstrap.json is served. ` +
      (options.build ? 'Check build.outDir in vite.config.ts.\n' : 'Run "npm run build" or start without --no-build.\n'))
  }
  started(await runRelay({ options, distDir, signal }))
}

async function exists (path: string): Promise<boolean> {
  try {
    await access(path)
    return true
  } catch {
    return false
  }
}
