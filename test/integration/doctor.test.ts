import { execFile, spawn } from 'node:child_process'
import { createSocket, type Socket } from 'node:dgram'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RELAY_PROBE_TIMEOUT_MS, STUN_TRANSACTION_TIMEOUT_MS } from '../../relay/doctor/constants.ts'
import { assertCoturnInstalled, freeLoopbackPort, startCoturn, type Coturn } from '../helpers/coturn.ts'
import { killRelayProcesses, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts'

/**
 * `chiral doctor` as an operator runs it, against real processes on loopback:
 * coturn (use-auth-secret) and the relay (relay/start.ts) handing out its
 * STUN/TURN URLs and minted credentials.
 */

const SECRET = 'doctor-test-secret'
/** Starting the doctor's Node and importing libp2p, on a loaded 2-core machine. */
const PROCESS_SLACK_MS = 8_000
const TEST_TIMEOUT_MS = 40_000

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const BIN = join(ROOT, 'bin', 'chiral.js')

interface DoctorRun {
  code: number | null
  stdout: string
  stderr: string
  elapsedMs: number
}

async function doctor (...args: string[]): Promise<DoctorRun> {
  return await doctorWith({}, ...args)
}

async function doctorWith (env: NodeJS.ProcessEnv, ...args: string[]): Promise<DoctorRun> {
  const started = Date.now()
  const child = spawn(process.execPath, [BIN, 'doctor', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', chunk => { stdout += chunk })
  child.stderr.setEncoding('utf8').on('data', chunk => { stderr += chunk })
  const code = await new Promise<number | null>(resolve => child.once('exit', resolve))
  return { code, stdout, stderr, elapsedMs: Date.now() - started }
}

/** A throwaway self-signed certificate for an IP address (openssl CLI, like the relay's TLS test). */
async function makeCertificate (dir: string, ip: string): Promise<{ cert: string, key: string }> {
  const cert = join(dir, `turn-${ip}.crt`)
  const key = join(dir, `turn-${ip}.key`)
  await promisify(execFile)('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=chiral doctor test', '-addext', `subjectAltName=IP:${ip}`])
  return { cert, key }
}

/** The output line of a check that mentions `text`. */
function lineOf (run: DoctorRun, text: string): string {
  const line = run.stdout.split('\n').find(l => /^[✓✗-] /.test(l) && l.includes(text))
  if (line == null) throw new Error(`no check line mentions "${text}" in:\n${run.stdout}${run.stderr}`)
  return line
}

describe('chiral doctor against coturn and the relay', { timeout: TEST_TIMEOUT_MS }, () => {
  let dir: string
  let coturn: Coturn
  /** Reports 127.0.0.2 as its relayed address, where nothing is bound: external-ip set wrong. */
  let misconfigured: Coturn
  /** Refuses to relay to private addresses, as a hardened production coturn does. */
  let hardened: Coturn
  /** Also listens for TLS (turns:), with a self-signed certificate for its address. */
  let withTls: Coturn
  let certificate = ''
  const silent: Socket[] = []

  beforeAll(async () => {
    // fail (never skip) without coturn, saying how to install it
    assertCoturnInstalled()
    dir = await mkdtemp(join(tmpdir(), 'chiral-doctor-'))
    coturn = await startCoturn({ secret: SECRET, dir })
    misconfigured = await startCoturn({ secret: SECRET, dir, extraArgs: host => [`--external-ip=127.0.0.2/${host}`] })
    hardened = await startCoturn({ secret: SECRET, dir, extraArgs: () => ['--denied-peer-ip=127.0.0.0-127.255.255.255'] })
    withTls = await startCoturn({
      secret: SECRET,
      dir,
      tls: async host => {
        const files = await makeCertificate(dir, host)
        certificate = files.cert
        return files
      }
    })
  }, TEST_TIMEOUT_MS)

  afterAll(async () => {
    killRelayProcesses()
    for (const socket of silent) socket.close()
    await Promise.all([coturn?.stop(), misconfigured?.stop(), hardened?.stop(), withTls?.stop()])
    if (dir != null) await rm(dir, { recursive: true, force: true })
  })

  async function relay (name: string, ice: { stun?: string[], turn: string[], secret: string }): Promise<RelayProcess> {
    return await startRelayProcess(['--no-build', '--host', '127.0.0.1', '--port', '0', '--data-dir', join(dir, name),
      ...(ice.stun != null ? ['--stun', ice.stun.join(',')] : []),
      '--turn', ice.turn.join(','), '--turn-secret', ice.secret])
  }

  it.concurrent('passes every check against a correct deploy and exits 0', async () => {
    const at = `${coturn.host}:${coturn.port}`
    const running = await relay('good', { stun: [`stun:${at}`], turn: [`turn:${at}?transport=udp`, `turn:${at}?transport=tcp`], secret: SECRET })
    const run = await doctor(running.url)
    expect(run.code, run.stdout + run.stderr).toBe(0)
    const peerId = /^Relay peer id: (\S+)$/m.exec(running.lines.join('\n'))?.[1]
    expect(lineOf(run, 'bootstrap.json')).toMatch(new RegExp(`^✓ .*relay ${peerId}`))
    expect(run.stdout).toContain(`address /ip4/127.0.0.1/tcp/${new URL(running.url).port}/ws/p2p/${peerId}`)
    expect(lineOf(run, '/ws/p2p/')).toMatch(/^✓ libp2p .*the relay answers/)
    expect(lineOf(run, 'circuit-relay reservation')).toMatch(/^✓ reservation/)
    expect(lineOf(run, `stun:${at}`)).toMatch(/^✓ STUN .*this machine is 127\.0\.0\.1:\d+/)
    for (const transport of ['udp', 'tcp']) {
      expect(lineOf(run, `turn:${at}?transport=${transport}`)).toMatch(new RegExp(`^✓ TURN .*relayed address ${coturn.host.replace(/\./g, '\\.')}:\\d+, reached from here`))
    }
    expect(run.stdout).toMatch(/✓ behind symmetric and carrier-grade NATs \(TURN over UDP\)/)
    expect(run.stdout).toMatch(/✓ on networks that block UDP \(TURN over TCP\)/)
    expect(run.stdout).toMatch(/- on networks that allow only TLS \(TURNS\): not configured/)
    expect(run.stdout).toMatch(/All 6 checks passed\./)
    expect(run.stderr).toBe('')
  })

  it.concurrent('names the secret mismatch when the relay\'s --turn-secret is not coturn\'s', async () => {
    const at = `${coturn.host}:${coturn.port}`
    const running = await relay('wrong-secret', { stun: [`stun:${at}`], turn: [`turn:${at}?transport=udp`, `turn:${at}?transport=tcp`], secret: 'not-the-secret' })
    const run = await doctor(running.url)
    expect(run.code, run.stdout + run.stderr).toBe(1)
    // STUN needs no credentials: it still works, and says so
    expect(lineOf(run, `stun:${at}`)).toMatch(/^✓ STUN/)
    for (const transport of ['udp', 'tcp']) expect(lineOf(run, `turn:${at}?transport=${transport}`)).toMatch(/^✗ TURN/)
    expect(run.stdout).toContain('the relay\'s --turn-secret does not match coturn\'s static-auth-secret')
    expect(run.stdout).toMatch(/2 of 6 checks failed\./)
  })

  it.concurrent('says nothing listens, or nothing answers, within its timeout', async () => {
    // a port that was free a moment ago on coturn's own address, and a UDP socket that never answers
    const closed = await freeLoopbackPort()
    const quiet = createSocket('udp4')
    silent.push(quiet)
    let received = 0
    quiet.on('message', () => { received++ })
    await new Promise<void>(resolve => quiet.bind(0, '127.0.0.1', resolve))
    const quietPort = quiet.address().port
    const running = await relay('dead-ports', {
      turn: [`turn:${closed.host}:${closed.port}?transport=udp`, `turn:${closed.host}:${closed.port}?transport=tcp`, `turn:127.0.0.1:${quietPort}?transport=udp`],
      secret: SECRET
    })
    const run = await doctor(running.url)
    expect(run.code, run.stdout + run.stderr).toBe(1)
    expect(run.elapsedMs).toBeLessThan(STUN_TRANSACTION_TIMEOUT_MS + PROCESS_SLACK_MS)
    expect(run.stdout).toContain(`Nothing listens on UDP port ${closed.port} of ${closed.host}`)
    expect(run.stdout).toContain(`Nothing listens on TCP port ${closed.port} of ${closed.host}`)
    expect(run.stdout).toContain(`No answer within ${STUN_TRANSACTION_TIMEOUT_MS / 1000} s: UDP port ${quietPort} of 127.0.0.1 is blocked by a firewall or nothing listens there`)
    // RFC 5389 retransmissions: sent at 0, 0.5, 1.5 and 3.5 s
    expect(received).toBeGreaterThanOrEqual(3)
    expect(run.stdout).toMatch(/✗ behind symmetric and carrier-grade NATs \(TURN over UDP\): fix the lines above/)
  })

  it.concurrent('finds relay ports nobody can reach (external-ip names the wrong address)', async () => {
    const at = `${misconfigured.host}:${misconfigured.port}`
    const running = await relay('bad-external-ip', { turn: [`turn:${at}?transport=udp`], secret: SECRET })
    const run = await doctor(running.url)
    expect(run.code, run.stdout + run.stderr).toBe(1)
    expect(run.elapsedMs).toBeLessThan(RELAY_PROBE_TIMEOUT_MS + PROCESS_SLACK_MS)
    expect(lineOf(run, `turn:${at}`)).toMatch(/^✗ TURN/)
    expect(run.stdout).toMatch(/relayed address 127\.0\.0\.2:\d+ did not come back through coturn/)
    expect(run.stdout).toContain('blocks its relay ports')
  })

  it.concurrent('passes a coturn that refuses private peers, saying the relay ports could not be probed from here', async () => {
    const at = `${hardened.host}:${hardened.port}`
    const running = await relay('hardened', { turn: [`turn:${at}?transport=udp`], secret: SECRET })
    const run = await doctor(running.url)
    expect(run.code, run.stdout + run.stderr).toBe(0)
    expect(lineOf(run, `turn:${at}`)).toMatch(/^✓ TURN .*not probed: coturn will not relay to this machine's private address 127\.0\.0\.1 \(denied-peer-ip, as it should\)/)
  })

  it.concurrent('checks TURNS over TLS: passes with a trusted certificate, names a self-signed one', async () => {
    const turns = `turns:${withTls.host}:${withTls.tlsPort}?transport=tcp`
    const running = await relay('turns', { turn: [`turn:${withTls.host}:${withTls.port}?transport=udp`, turns], secret: SECRET })
    // NODE_EXTRA_CA_CERTS is how an operator with a private CA runs the doctor (see chiral doctor --help)
    const trusted = await doctorWith({ NODE_EXTRA_CA_CERTS: certificate }, running.url)
    expect(trusted.code, trusted.stdout + trusted.stderr).toBe(0)
    expect(lineOf(trusted, turns)).toMatch(/^✓ TURN .*relayed address/)
    expect(trusted.stdout).toMatch(/✓ on networks that allow only TLS \(TURNS\)/)
    const untrusted = await doctor(running.url)
    expect(untrusted.code).toBe(1)
    expect(lineOf(untrusted, turns)).toMatch(/^✗ TURN/)
    expect(untrusted.stdout).toContain(`The certificate of ${withTls.host} is self-signed: browsers refuse it.`)
  })
})

describe('chiral doctor usage', () => {
  it('explains itself, and exits 2 on a missing or unusable URL', async () => {
    const help = await doctor('--help')
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/Usage: chiral doctor <relay-url>/)
    expect(help.stdout).toMatch(/Exit code: 0 when every check passes, 1 when one fails, 2 on a usage error/)
    for (const args of [[], ['ftp://example.com'], ['https://a.example', 'https://b.example'], ['--frobnicate', 'https://a.example']]) {
      const run = await doctor(...args)
      expect(run.code, args.join(' ')).toBe(2)
      expect(run.stderr).toMatch(/^chiral: /)
    }
  })
})
