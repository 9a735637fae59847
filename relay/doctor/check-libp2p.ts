import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { webSockets } from '@libp2p/websockets'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createLibp2p, type Libp2p } from 'libp2p'
import { failed, passed, type CheckResult } from './check-result.ts'
import { LIBP2P_DIAL_TIMEOUT_MS, LIBP2P_STOP_TIMEOUT_MS, RESERVATION_TIMEOUT_MS } from './constants.ts'
import { connectTcp, connectTls, resolveHost, withTimeout } from './net-connect.ts'
import { InsecureWebSocketError, Libp2pHandshakeError, NoAddressesError, PeerIdMismatchError, RelayUnreachableError, ReservationTimeoutError } from './relay-errors.ts'
import { isLoopbackHost } from './secure-context.ts'
import { webSocketOutcome } from './ws-probe.ts'
import type { BootstrapDocument } from '../../app/core/protocol/bootstrap-document.ts'
import type { Endpoint } from './errors.ts'

/**
 * Dial every announced address from a throwaway Node peer configured like a
 * browser tab (WebSockets, noise, yamux, identify, a circuit-relay listener),
 * check that the relay's peer id answers there, then wait for the reservation
 * that lets other browsers reach a tab through the relay.
 */
export async function checkLibp2p (document: BootstrapDocument, page: URL, options: { signal?: AbortSignal } = {}): Promise<CheckResult[]> {
  const node = await createLibp2p({
    addresses: { listen: ['/p2p-circuit'] },
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    // a local set-up announces loopback/private addresses, which the doctor must dial like the tab does
    connectionGater: { denyDialMultiaddr: async () => false },
    // the relay's connection monitor pings its clients
    services: { identify: identify(), ping: ping() }
  })
  try {
    const results: CheckResult[] = []
    if (document.multiaddrs.length === 0) results.push(failed('libp2p', 'announced addresses', new NoAddressesError()))
    for (const address of [...new Set(document.multiaddrs)]) {
      results.push(await dialOne(node, address, document.peerId, page, options))
    }
    if (!results.some(r => r.status === 'pass')) {
      results.push(failed('reservation', 'circuit-relay reservation', new RelayUnreachableError(), { capability: 'relay' }))
      return results
    }
    try {
      const circuit = await reservation(node, withTimeout(options.signal, RESERVATION_TIMEOUT_MS), options.signal)
      results.push(passed('reservation', 'circuit-relay reservation taken: browsers can be reached through this relay', { details: [`as ${circuit}`], capability: 'relay' }))
    } catch (err) {
      results.push(failed('reservation', 'circuit-relay reservation', err, { capability: 'relay' }))
    }
    return results
  } finally {
    await Promise.race([node.stop(), new Promise(resolve => setTimeout(resolve, LIBP2P_STOP_TIMEOUT_MS).unref())])
  }
}

async function dialOne (node: Libp2p, address: string, peerId: string, page: URL, options: { signal?: AbortSignal }): Promise<CheckResult> {
  const started = Date.now()
  let target: Endpoint | undefined
  try {
    const ma = multiaddr(address)
    target = endpointOf(ma)
    if (page.protocol === 'https:' && target?.transport === 'tcp' && !isLoopbackHost(target.host)) throw new InsecureWebSocketError(address)
    // dialed without its /p2p part, so that another peer answering there is reported as such, not as a failed handshake
    const bare = ma.decapsulateCode(ma.getComponents().find(c => c.name === 'p2p')?.code ?? -1)
    const connection = await node.dial(bare, { signal: withTimeout(options.signal, LIBP2P_DIAL_TIMEOUT_MS) })
    const actual = connection.remotePeer.toString()
    if (actual !== peerId) {
      await connection.close()
      throw new PeerIdMismatchError(address, peerId, actual)
    }
    return passed('libp2p', `${address}: the relay answers (${Date.now() - started} ms)`)
  } catch (err) {
    options.signal?.throwIfAborted()
    return failed('libp2p', address, await explainDialError(err, target, address, options))
  }
}

/**
 * A failed WebSocket dial says nothing useful ("ErrorEvent"); connect to the
 * same host and port directly to learn whether it is the name, the port, the
 * certificate or what answers behind them.
 */
async function explainDialError (err: unknown, target: Endpoint | undefined, address: string, options: { signal?: AbortSignal }): Promise<unknown> {
  const name = (err as Error)?.name
  if (target == null || name === 'InsecureWebSocketError' || name === 'PeerIdMismatchError') return err
  try {
    const { address: ip } = await resolveHost(target.host, options)
    if (target.transport === 'tls') (await connectTls(target, ip, options)).socket.destroy()
    else (await connectTcp(target, ip, options)).destroy()
  } catch (reason) {
    return reason
  }
  const scheme = target.transport === 'tls' ? 'wss' : 'ws'
  const host = target.host.includes(':') ? `[${target.host}]` : target.host
  return new Libp2pHandshakeError(address, await webSocketOutcome(`${scheme}://${host}:${target.port}`, options), { cause: err })
}

/** Host, port and TLS of a /dns4|ip4|…/tcp/N/(tls/)ws address; undefined for anything else. */
function endpointOf (ma: Multiaddr): Endpoint | undefined {
  const components = ma.getComponents()
  const host = components[0]
  const port = components.find(c => c.name === 'tcp')?.value
  if (host?.value == null || port == null || !components.some(c => c.name === 'ws' || c.name === 'wss')) return undefined
  const secure = components.some(c => c.name === 'tls' || c.name === 'wss')
  return { transport: secure ? 'tls' : 'tcp', host: host.value, port: Number(port) }
}

/** Resolves with the relayed address once the node holds a reservation. */
async function reservation (node: Libp2p, deadline: AbortSignal, parent: AbortSignal | undefined): Promise<string> {
  const circuit = (): string | undefined => node.getMultiaddrs().map(String).find(a => a.includes('/p2p-circuit'))
  return await new Promise((resolve, reject) => {
    const check = (): void => {
      const addr = circuit()
      if (addr == null) return
      cleanup()
      resolve(addr)
    }
    const onAbort = (): void => {
      cleanup()
      reject(parent?.aborted === true ? parent.reason : new ReservationTimeoutError(RESERVATION_TIMEOUT_MS))
    }
    const cleanup = (): void => {
      node.removeEventListener('transport:listening', check)
      node.removeEventListener('self:peer:update', check)
      deadline.removeEventListener('abort', onAbort)
    }
    // the listen address appears at once ('transport:listening'); 'self:peer:update' only after a debounce
    node.addEventListener('transport:listening', check)
    node.addEventListener('self:peer:update', check)
    deadline.addEventListener('abort', onAbort, { once: true })
    check()
  })
}
