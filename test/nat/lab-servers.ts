import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { INTERNET_NS, SERVER_IP } from './lab.ts'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
/** coturn and the relay start in well under a second; this only bounds a broken start. */
export const SERVER_START_TIMEOUT_MS = 30_000
export const TURN_PORT = 3478
/** coturn prints this once its listeners, relay threads and auth database are up. */
const TURN_READY_LINE = /SQLite DB connection success/
const RELAY_READY_LINE = /^Chiral is running at (https?:\/\/\S+)$/

export interface LabProcess {
  /** Every line it printed so far (stdout and stderr), for a failure's report. */
  output: string[]
  stop(): Promise<void>
}

export interface LabRelay extends LabProcess {
  url: string
}

/** Start a process inside a namespace; resolves once a line matches `ready`. */
async function startInNamespace (ns: string, command: string, args: string[], ready: RegExp, cleanup: () => void = () => {}): Promise<{ process: LabProcess, match: RegExpExecArray }> {
  const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  const output: string[] = []
  const stop = async (): Promise<void> => {
    await stopChild(child)
    cleanup()
  }
  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      const timer = setTimeout(() => { reject(new Error(`${command} did not start within ${SERVER_START_TIMEOUT_MS} ms:\n${output.join('\n')}`)) }, SERVER_START_TIMEOUT_MS)
      for (const stream of [child.stdout!, child.stderr!]) {
        createInterface({ input: stream }).on('line', line => {
          output.push(line)
          const found = ready.exec(line)
          if (found != null) { clearTimeout(timer); resolve(found) }
        })
      }
      child.once('error', err => { clearTimeout(timer); reject(err) })
      child.once('exit', code => { clearTimeout(timer); reject(new Error(`${command} exited with ${code}:\n${output.join('\n')}`)) })
    })
    return { process: { output, stop }, match }
  } catch (err) {
    await stop()
    throw err
  }
}

/** A process that ignores SIGTERM this long is killed. */
const STOP_TIMEOUT_MS = 5_000

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode != null || child.signalCode != null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const timer = setTimeout(() => { child.kill('SIGKILL') }, STOP_TIMEOUT_MS)
  await exited
  clearTimeout(timer)
}

/**
 * Peer addresses coturn refuses to relay to, as the README's deploy command has
 * it: private, loopback, link-local and carrier-grade NAT ranges, so a TURN
 * server cannot be used to reach its operator's own network.
 */
export const TURN_DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.168.0.0-192.168.255.255',
  '::1',
  'fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
  'fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
]

/**
 * coturn from Debian, in the foreground, as a STUN and TURN server (UDP and TCP
 * on one port) with the TURN REST API secret, configured as the README tells an
 * operator to. Its packaged defaults want directories that may not exist, so
 * pid file and database live in a temp dir.
 */
export async function startTurn (secret: string): Promise<LabProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'chiral-turn-'))
  const { process } = await startInNamespace(INTERNET_NS, 'turnserver', [
    '-n', // no config file
    `--listening-ip=${SERVER_IP}`,
    `--relay-ip=${SERVER_IP}`,
    `--listening-port=${TURN_PORT}`,
    '--use-auth-secret',
    '--user-quota=16',
    `--static-auth-secret=${secret}`,
    '--realm=chiral.lab',
    `--pidfile=${join(dir, 'turnserver.pid')}`,
    `--userdb=${join(dir, 'turndb')}`,
    ...TURN_DENIED_PEER_RANGES.map(range => `--denied-peer-ip=${range}`),
    '--no-multicast-peers',
    '--no-cli',
    '--no-tls',
    '--no-dtls',
    '--log-file=stdout',
    '--simple-log'
  ], TURN_READY_LINE, () => { rmSync(dir, { recursive: true, force: true }) })
  return process
}

/** The real relay process (`relay/start.ts`), inside the internet namespace on SERVER_IP. */
export async function startLabRelay (port: number, extraArgs: string[]): Promise<LabRelay> {
  const dataDir = mkdtempSync(join(tmpdir(), 'chiral-lab-relay-'))
  const { process, match } = await startInNamespace(INTERNET_NS, globalThis.process.execPath, [
    'relay/start.ts', '--no-build', '--host', SERVER_IP, '--port', String(port), '--data-dir', dataDir, ...extraArgs
  ], RELAY_READY_LINE, () => { rmSync(dataDir, { recursive: true, force: true }) })
  return { ...process, url: match[1] as string }
}
