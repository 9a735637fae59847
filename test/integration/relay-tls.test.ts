import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reserveWithRealPeer } from '../helpers/browser-like-peer.ts'
import { closeCodeOf, frameHeader, rawConnect, rawWebSocket } from '../helpers/raw-socket.ts'
import { killRelayProcesses, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts'

/**
 * The relay with --tls-cert/--tls-key: https and wss on its one port, the
 * announced address derived from the certificate, clear errors for bad files,
 * and no crash on broken TLS. The certificate is a throwaway self-signed one
 * for localhost, trusted by this test process only.
 */
const HANDSHAKE_TIMEOUT_MS = 2_000
const TIMEOUT_SLACK_MS = 2_500
const STEP_TIMEOUT_MS = 10_000

const run = promisify(execFile)

/** A self-signed P-256 certificate and key for `names` (openssl CLI). */
async function makeCertificate (dir: string, base: string, names: string[]): Promise<{ cert: string, key: string }> {
  const cert = join(dir, `${base}.crt`)
  const key = join(dir, `${base}.key`)
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-keyout', key, '-out', cert, '-subj', '/CN=chiral test', '-addext', `subjectAltName=${names.map(n => `DNS:${n}`).join(',')}`])
  return { cert, key }
}

describe('relay process with TLS on its one port', { timeout: 30_000 }, () => {
  let dir: string
  let files: { cert: string, key: string }
  let other: { cert: string, key: string }
  let relay: RelayProcess
  let port: number
  let ca: Buffer

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chiral-tls-'))
    ;[files, other] = await Promise.all([
      // the wildcard name cannot be dialed, so it must not be announced
      makeCertificate(dir, 'relay', ['localhost', '*.localhost']),
      makeCertificate(dir, 'other', ['localhost'])
    ])
    ca = await readFile(files.cert)
    // fetch and the WebSocket of @libp2p/websockets (undici) use the default CA list
    setDefaultCACertificates([...getCACertificates('default'), ca.toString()])
    relay = await startRelayProcess(['--port', '0', '--no-build', '--data-dir', join(dir, 'data'),
      '--tls-cert', files.cert, '--tls-key', files.key, '--handshake-timeout', `${HANDSHAKE_TIMEOUT_MS}ms`])
    port = Number(new URL(relay.url).port)
  })

  afterAll(async () => {
    killRelayProcesses()
    await rm(dir, { recursive: true, force: true })
  })

  async function bootstrap (): Promise<{ peerId: string, multiaddrs: string[], allowPrivateAddresses: boolean }> {
    const res = await fetch(`${relay.url}/bootstrap.json`)
    expect(res.status).toBe(200)
    return await res.json() as { peerId: string, multiaddrs: string[], allowPrivateAddresses: boolean }
  }

  async function expectHealthy (): Promise<void> {
    expect(relay.child.exitCode).toBeNull()
    const info = await bootstrap()
    expect(await reserveWithRealPeer(info.multiaddrs[0] as string, AbortSignal.timeout(STEP_TIMEOUT_MS))).toContain('/p2p-circuit')
    expect(relay.stderr()).not.toMatch(/Uncaught|ERR_UNHANDLED|TypeError|RangeError/)
  }

  it('serves https and announces /dns4/<certificate name>/tcp/<port>/tls/ws, which a real peer dials over wss', async () => {
    expect(relay.url).toBe(`https://localhost:${port}`)
    const info = await bootstrap()
    expect(info.multiaddrs).toEqual([`/dns4/localhost/tcp/${port}/tls/ws/p2p/${info.peerId}`])
    expect(info.allowPrivateAddresses).toBe(true)
    await expectHealthy()
  })

  it('drops a truncated ClientHello at once when the client hangs up, and after the handshake timeout when it stalls', async () => {
    // the first 40 bytes of a ClientHello record that claims 512 bytes
    const hello = Buffer.concat([Buffer.from('1603010200010001fc0303', 'hex'), Buffer.alloc(29, 7)])
    const hungUp = await rawConnect(port)
    hungUp.socket.end(hello)
    const stalled = await rawConnect(port)
    const started = Date.now()
    stalled.socket.write(hello)
    await hungUp.closed
    await stalled.closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50)
    expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + TIMEOUT_SLACK_MS)
    await expectHealthy()
  })

  it('survives garbage and a plain-HTTP request on the TLS port', async () => {
    const garbage = await rawConnect(port)
    garbage.socket.write(Buffer.from('\x00\xff'.repeat(2048), 'latin1'))
    const plain = await rawConnect(port)
    plain.socket.write('GET /bootstrap.json HTTP/1.1\r\nHost: localhost\r\n\r\n')
    await Promise.all([garbage.closed, plain.closed])
    await expectHealthy()
  })

  it('closes only the wss connection that sends a malformed frame', async () => {
    const attacker = await rawWebSocket(port, { tlsCa: ca })
    attacker.socket.write(frameHeader({ opcode: 0x3, length: 0 }))
    expect(closeCodeOf(await attacker.closed)).toBe(1002)
    await expectHealthy()
  })

  it.each([
    ['a missing certificate', (): string[] => ['--tls-cert', join(dir, 'nope.crt'), '--tls-key', files.key], /Cannot read .*nope\.crt \(--tls-cert\): no such file/],
    ['a key of another certificate', (): string[] => ['--tls-cert', files.cert, '--tls-key', other.key], /does not belong to the certificate/],
    ['a key file that is not a key', (): string[] => ['--tls-cert', files.cert, '--tls-key', join(dir, 'junk.pem')], /is not a PEM private key/],
    ['only half of the pair', (): string[] => ['--tls-cert', files.cert], /needs both --tls-cert and --tls-key/]
  ])('exits 2 with a clear message for %s', async (_name, args, message) => {
    await writeFile(join(dir, 'junk.pem'), 'not a key\n')
    const failed = startRelayProcess(['--port', '0', '--no-build', '--data-dir', join(dir, 'data'), ...args()])
    await expect(failed).rejects.toThrow(/relay exited with 2/)
    await expect(failed).rejects.toThrow(message)
  })
})
