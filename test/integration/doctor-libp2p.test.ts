import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkLibp2p } from '../../relay/doctor/check-libp2p.ts'
import { startTestRelay, type TestRelay } from '../helpers/relay-node.ts'
import type { BootstrapDocument } from '../../app/core/protocol/bootstrap-document.ts'

/** The doctor's libp2p check against an in-process relay, with addresses that are wrong in each way an operator gets them wrong. */

const STEP_TIMEOUT_MS = 20_000

describe('doctor: libp2p check', { timeout: STEP_TIMEOUT_MS }, () => {
  let relay: TestRelay
  let peerId: string
  let address: string
  /** A plain HTTP server: a port that answers, but not with libp2p. */
  let http: Server
  let httpPort: number

  beforeAll(async () => {
    relay = await startTestRelay()
    peerId = relay.node.peerId.toString()
    address = `${relay.node.getMultiaddrs().find(a => a.toString().includes('/ws'))!.toString()}`
    http = createServer((_req, res) => { res.end('hello') })
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve))
    httpPort = (http.address() as { port: number }).port
  })

  afterAll(async () => {
    await relay?.stop()
    http?.close()
  })

  const document = (multiaddrs: string[], id = peerId): BootstrapDocument =>
    ({ peerId: id, multiaddrs, allowPrivateAddresses: true, iceServers: [] })
  const page = (): URL => new URL(relay.url)

  it('dials the relay, checks its peer id and takes a reservation', async () => {
    const results = await checkLibp2p(document([`${address}/p2p/${peerId}`]), page(), { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(results.map(r => [r.check, r.status])).toEqual([['libp2p', 'pass'], ['reservation', 'pass']])
    expect(results[1]?.details?.[0]).toMatch(/\/p2p-circuit\/p2p\//)
  })

  it('names each wrong address for what it is', async () => {
    const closed = await new Promise<number>(resolve => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const port = (probe.address() as { port: number }).port
        probe.close(() => { resolve(port) })
      })
    })
    const results = await checkLibp2p(document([
      `/ip4/127.0.0.1/tcp/${closed}/ws/p2p/${peerId}`,
      `/ip4/127.0.0.1/tcp/${httpPort}/ws/p2p/${peerId}`
    ]), page(), { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(results.map(r => r.status)).toEqual(['fail', 'fail', 'fail'])
    expect(results[0]?.fix).toMatch(new RegExp(`^Nothing listens on TCP port ${closed} of 127\\.0\\.0\\.1`))
    expect(results[1]?.fix).toMatch(/accepts connections, but the libp2p handshake fails \(the WebSocket upgrade is answered with HTTP 200 instead of 101\): .*does any proxy pass WebSocket upgrades through/)
    expect(results[2]).toMatchObject({ check: 'reservation', status: 'fail' })
    expect(results[2]?.fix).toMatch(/No announced address could be dialed/)
  })

  it('reports another peer answering at the address, and ws:// under an https page', async () => {
    const other = '12D3KooWDpJ7As7BWAwRMfu1VU2WCqNjvq387JEYKDBj4kx6nXTN'
    const mismatch = await checkLibp2p(document([`${address}/p2p/${other}`], other), page(), { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(mismatch[0]?.fix).toBe(`${address}/p2p/${other} answers as ${peerId}, but /bootstrap.json says the relay is ${other}: another node listens there (a stale --announce, or two relays behind one name); browsers will refuse it.`)
    const insecure = await checkLibp2p(document([`/dns4/relay.example.com/tcp/80/ws/p2p/${peerId}`]), new URL('https://relay.example.com'), { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(insecure[0]).toMatchObject({ status: 'fail' })
    expect(insecure[0]?.fix).toMatch(/plain ws:\/\/ address, which browsers refuse on an https page/)
  })
})
