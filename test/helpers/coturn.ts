import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createSocket } from 'node:dgram'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * A real coturn on loopback for the doctor's tests, no root needed.
 *
 * Each coturn gets its own random 127/8 address: coturn binds its listeners
 * with SO_REUSEPORT, so a coturn of a parallel test run on the same port
 * would silently share (and answer) our traffic. On that address the port is
 * bind-tested for TCP and UDP first, and a "Cannot bind" in coturn's log (it
 * then retries forever rather than exit) makes us start over on another one.
 *
 * Ready means the UDP and TCP listeners for our address and port are open
 * (coturn prints those lines with -v only) and the database is connected.
 * "SQLite DB connection success" alone is not enough: coturn logs in the wild
 * show TCP listeners opening after it.
 */

export const COTURN_REALM = 'chiral.test'
/** coturn is up in ~50 ms here; a loaded CI machine gets much more. */
const COTURN_START_TIMEOUT_MS = 10_000
/** Fresh addresses/ports to try when coturn cannot bind. */
const MAX_START_ATTEMPTS = 5
const STOP_TIMEOUT_MS = 5_000

export interface Coturn {
  /** The loopback address coturn listens and relays on. */
  host: string
  /** Its UDP and TCP port. */
  port: number
  /** Its TLS port, when started with `tls`. */
  tlsPort?: number
  /** Everything coturn printed (for a failing test's message). */
  output: () => string
  stop: () => Promise<void>
}

export interface CoturnInit {
  secret: string
  /** Directory for coturn's pid file and SQLite database. */
  dir: string
  /** More turnserver flags, given the address coturn will listen on, e.g. --external-ip=… */
  extraArgs?: (host: string) => string[]
  /** Also listen for TLS (turns:), with this certificate and key (PEM files) made for `host`. */
  tls?: (host: string) => Promise<{ cert: string, key: string }>
}

/** Throws a message that says how to install coturn when `turnserver` is missing. */
export function assertCoturnInstalled (): void {
  const probe = spawnSync('turnserver', ['--version'], { stdio: 'ignore' })
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('coturn is not installed (no turnserver on PATH): apt-get install coturn. The doctor\'s integration tests need a real TURN server; CI installs it.')
  }
}

export async function startCoturn (init: CoturnInit): Promise<Coturn> {
  assertCoturnInstalled()
  let lastError: Error | undefined
  for (let attempt = 0; attempt < MAX_START_ATTEMPTS; attempt++) {
    const { host, port } = await freeLoopbackPort()
    const tlsPort = init.tls == null ? undefined : await freePortOn(host)
    try {
      return await startOn(host, port, tlsPort, init)
    } catch (err) {
      lastError = err as Error
      if ((err as { retry?: boolean }).retry !== true) throw err
    }
  }
  throw lastError ?? new Error('coturn did not start')
}

async function startOn (host: string, port: number, tlsPort: number | undefined, init: CoturnInit): Promise<Coturn> {
  const tls = tlsPort == null ? undefined : await init.tls?.(host)
  const child: ChildProcess = spawn('turnserver', [
    '-n', '-v', `--listening-ip=${host}`, `--relay-ip=${host}`, `--listening-port=${port}`,
    '--use-auth-secret', `--static-auth-secret=${init.secret}`, `--realm=${COTURN_REALM}`,
    `--pidfile=${join(init.dir, `turnserver-${port}.pid`)}`, `--userdb=${join(init.dir, `turndb-${port}`)}`,
    '--no-cli', '--no-dtls', '--log-file=stdout', '--simple-log',
    ...(tls == null || tlsPort == null ? ['--no-tls'] : [`--tls-listening-port=${tlsPort}`, `--cert=${tls.cert}`, `--pkey=${tls.key}`]),
    // the doctor sends its relay probe from loopback, which coturn refuses by default (403 on CreatePermission)
    '--allow-loopback-peers',
    ...(init.extraArgs?.(host) ?? [])
  ], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stderr?.setEncoding('utf8').on('data', chunk => { output += chunk })
  const exited = new Promise<void>(resolve => { child.once('exit', () => { resolve() }) })
  const stop = async (): Promise<void> => {
    if (child.exitCode != null || child.signalCode != null) return
    child.kill('SIGTERM')
    const timer = setTimeout(() => { child.kill('SIGKILL') }, STOP_TIMEOUT_MS)
    await exited
    clearTimeout(timer)
  }
  // with TLS on, coturn calls its TCP listeners "TLS/TCP listener"
  const needed = [`UDP listener opened on: ${host}:${port}`, `TCP listener opened on : ${host}:${port}`, 'SQLite DB connection success',
    ...(tlsPort != null ? [`TLS/TCP listener opened on : ${host}:${tlsPort}`] : [])]
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`coturn not ready within ${COTURN_START_TIMEOUT_MS} ms:\n${output}`)) }, COTURN_START_TIMEOUT_MS)
      createInterface({ input: child.stdout! }).on('line', line => {
        output += line + '\n'
        if (/Cannot bind/.test(line)) {
          clearTimeout(timer)
          reject(Object.assign(new Error(`coturn cannot bind ${host}:${port}`), { retry: true }))
        }
        const i = needed.findIndex(n => line.includes(n))
        if (i >= 0) needed.splice(i, 1)
        if (needed.length === 0) {
          clearTimeout(timer)
          resolve()
        }
      })
      void exited.then(() => {
        clearTimeout(timer)
        reject(new Error(`coturn exited before it was ready:\n${output}`))
      })
    })
  } catch (err) {
    await stop()
    throw err
  }
  return { host, port, ...(tlsPort != null ? { tlsPort } : {}), output: () => output, stop }
}

/**
 * A random 127/8 address (127.0.0.1 where the system has no other, e.g. macOS)
 * and a port free there for both TCP and UDP at the time of asking.
 */
export async function freeLoopbackPort (): Promise<{ host: string, port: number }> {
  const random = (n: number): number => 1 + Math.floor(Math.random() * n)
  for (const host of [`127.${random(254)}.${random(254)}.${random(254)}`, '127.0.0.1']) {
    const port = await freePortOn(host).catch(() => undefined)
    // undefined: the address is not usable here (only 127.0.0.1 is configured): try that
    if (port != null) return { host, port }
  }
  throw new Error('no free loopback port for coturn')
}

/** A port free on `host` for both TCP and UDP at the time of asking. */
async function freePortOn (host: string): Promise<number> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const port = await listenTcp(host)
    if (await udpFree(host, port)) return port
  }
  throw new Error(`no port free for both TCP and UDP on ${host}`)
}

async function listenTcp (host: string): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, host, resolve)
  })
  const port = (server.address() as { port: number }).port
  await new Promise(resolve => server.close(resolve))
  return port
}

async function udpFree (host: string, port: number): Promise<boolean> {
  const socket = createSocket('udp4')
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject)
      socket.bind(port, host, resolve)
    })
    return true
  } catch {
    return false
  } finally {
    try { socket.close() } catch {} // never bound: nothing to close
  }
}
