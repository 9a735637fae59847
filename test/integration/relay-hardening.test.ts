import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromString } from '@libp2p/peer-id'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { reserveWithRealPeer } from '../helpers/browser-like-peer.ts'
import { closeCodeOf, frameHeader, rawConnect, rawWebSocket } from '../helpers/raw-socket.ts'
import { killRelayProcesses, startRelayProcess, type RelayProcess } from '../helpers/relay-process.ts'
import { connectRawPeer } from '../helpers/reserve-client.ts'
import type { PeerId } from '@libp2p/interface'

/**
 * The relay as a real process, attacked on its one public port the way anyone
 * on the internet could: malformed WebSocket frames, garbage, oversized
 * messages, sockets and streams that go silent. After each attack it must still
 * serve /bootstrap.json and give a real libp2p peer a reservation.
 * Timeouts are shortened by flags so that every wait is short, and the waits
 * run concurrently.
 */
const HANDSHAKE_TIMEOUT_MS = 2_000
const HTTP_TIMEOUT_MS = 2_000
const IDLE_TIMEOUT_MS = 2_000
const STREAM_IDLE_TIMEOUT_MS = 2_000
/** Node checks HTTP timeouts every second; sweeps and scheduling on a loaded 2-core machine add more. */
const TIMEOUT_SLACK_MS = 2_500
/** A close caused by a bad frame needs no timer at all. */
const PROMPT_CLOSE_MS = 1_000
const MAX_MESSAGE_BYTES = 128 * 1024
const STEP_TIMEOUT_MS = 10_000

describe('relay process on the internet: malformed input and idle resources', { timeout: 30_000 }, () => {
  let dataDir: string
  let relay: RelayProcess
  let port: number
  let relayPeerId: PeerId
  let relayAddress: string

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'chiral-hardening-'))
    relay = await startRelayProcess(['--port', '0', '--no-build', '--data-dir', dataDir,
      '--handshake-timeout', `${HANDSHAKE_TIMEOUT_MS}ms`, '--http-timeout', `${HTTP_TIMEOUT_MS}ms`,
      '--idle-timeout', `${IDLE_TIMEOUT_MS}ms`, '--stream-idle-timeout', `${STREAM_IDLE_TIMEOUT_MS}ms`])
    port = Number(new URL(relay.url).port)
    const bootstrap = await (await fetch(`${relay.url}/bootstrap.json`)).json() as { peerId: string, multiaddrs: string[] }
    relayPeerId = peerIdFromString(bootstrap.peerId)
    relayAddress = bootstrap.multiaddrs[0] as string
  })

  afterAll(async () => {
    killRelayProcesses()
    await rm(dataDir, { recursive: true, force: true })
  })

  /** Still alive, still serving HTTP, still giving a real libp2p peer a reservation. */
  async function expectHealthy (): Promise<void> {
    expect(relay.child.exitCode).toBeNull()
    const res = await fetch(`${relay.url}/bootstrap.json`)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(await reserveWithRealPeer(relayAddress, AbortSignal.timeout(STEP_TIMEOUT_MS))).toContain('/p2p-circuit')
    expect(relay.stderr()).not.toMatch(/Uncaught|ERR_UNHANDLED|TypeError|RangeError/)
  }

  it.each([
    ['a reserved opcode', frameHeader({ opcode: 0x3, length: 0 })],
    ['an RSV bit without an extension', frameHeader({ rsv: 0b100, opcode: 0x2, length: 0 })],
    ['a 2^63 payload length', frameHeader({ opcode: 0x2, length: 2n ** 63n })],
    ['an unmasked client frame', Buffer.concat([frameHeader({ opcode: 0x2, length: 4, masked: false }), Buffer.from('data')])],
    ['a fragmented control frame', frameHeader({ fin: false, opcode: 0x9, length: 0 })]
  ])('closes only the connection that sends %s', async (_name, bytes) => {
    const bystander = await rawWebSocket(port)
    const attacker = await rawWebSocket(port)
    const started = Date.now()
    attacker.socket.write(bytes)
    const answer = await attacker.closed
    expect(Date.now() - started).toBeLessThan(PROMPT_CLOSE_MS)
    // ws answers a protocol error with close code 1002 (1009 for the absurd length)
    expect([1002, 1009]).toContain(closeCodeOf(answer))
    expect(bystander.socket.destroyed).toBe(false)
    bystander.socket.destroy()
    await expectHealthy()
  })

  it('refuses a message over the size bound from its header, without waiting for (or buffering) its payload', async () => {
    const attacker = await rawWebSocket(port)
    // announce one byte more than allowed, then send only a little of it
    attacker.socket.write(Buffer.concat([frameHeader({ opcode: 0x2, length: MAX_MESSAGE_BYTES + 1 }), randomBytes(1024)]))
    const answer = await attacker.closed
    expect(closeCodeOf(answer)).toBe(1009)
    await expectHealthy()
  })

  it('answers garbage with 400 and keeps serving', async () => {
    const attacker = await rawConnect(port)
    attacker.socket.write(randomBytes(4096))
    const answer = await attacker.closed
    expect(answer.toString('latin1')).toMatch(/^HTTP\/1\.1 400/)
    const tlsHello = await rawConnect(port)
    // a TLS ClientHello on the plain port is garbage too
    tlsHello.socket.write(Buffer.from('16030100a5010000a10303', 'hex'))
    await tlsHello.closed
    await expectHealthy()
  })

  it.concurrent('closes a socket that never sends a request, after the HTTP timeout', async ({ expect }) => {
    const started = Date.now()
    const silent = await rawConnect(port)
    await silent.closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(HTTP_TIMEOUT_MS - 50)
    expect(Date.now() - started).toBeLessThan(HTTP_TIMEOUT_MS + TIMEOUT_SLACK_MS)
  })

  it.concurrent('closes a WebSocket that never starts the libp2p handshake, after the handshake timeout', async ({ expect }) => {
    const started = Date.now()
    const silent = await rawWebSocket(port)
    await silent.closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(HANDSHAKE_TIMEOUT_MS - 50)
    expect(Date.now() - started).toBeLessThan(HANDSHAKE_TIMEOUT_MS + TIMEOUT_SLACK_MS)
  })

  it.concurrent('closes a libp2p connection that holds no reservation and no stream, after the idle timeout', async ({ expect }) => {
    const peer = await connectRawPeer({ url: `ws://127.0.0.1:${port}`, relayPeerId, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    const started = Date.now()
    await peer.closed
    expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 500)
    expect(Date.now() - started).toBeLessThan(IDLE_TIMEOUT_MS + TIMEOUT_SLACK_MS)
  })

  it.concurrent('resets a stream that carries nothing, long before the handler would give up', async ({ expect }) => {
    const peer = await connectRawPeer({ url: `ws://127.0.0.1:${port}`, relayPeerId, signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    try {
      // the hop handler itself would wait 30 s for a request
      const stream = await peer.openStream('/libp2p/circuit/relay/0.2.0/hop', AbortSignal.timeout(STEP_TIMEOUT_MS))
      const started = Date.now()
      await new Promise<void>(resolve => { stream.addEventListener('close', () => { resolve() }, { once: true }) })
      expect(stream.status).toBe('reset')
      expect(Date.now() - started).toBeLessThan(STREAM_IDLE_TIMEOUT_MS + TIMEOUT_SLACK_MS)
    } finally {
      peer.close()
    }
  })
})
