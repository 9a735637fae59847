import { resolve } from 'node:path'
import { announceAddresses, relayUrl } from './announce.ts'
import { bootstrapInfo, type BootstrapInfo } from './bootstrap-info.ts'
import { RelayListenError } from './errors.ts'
import { createRelayHttpServer, BOOTSTRAP_PATH } from './http-server.ts'
import { loadOrCreateIdentity } from './identity.ts'
import { clientAddresses } from './client-address.ts'
import { createIceServerIssuer } from './ice-servers.ts'
import { ipKey } from './ip-key.ts'
import { createRelayNode, type RelayNode } from './libp2p.ts'
import { DEFAULT_LIMITS, maxSocketsOf } from './limits.ts'
import { closePublicPort, guardPublicPort, listenPublicPort } from './public-port.ts'
import { loadTls } from './tls-files.ts'
import type { RelayOptions } from './options.ts'

export interface RunningRelay {
  /** Where the app is served, e.g. http://127.0.0.1:8080 or https://relay.example.com */
  url: string
  node: RelayNode
  /** The bootstrap document as a client at `clientIp` would get it. */
  bootstrap: (clientIp?: string) => BootstrapInfo
  stop: () => Promise<void>
}

export interface RunRelayInit {
  options: Pick<RelayOptions, 'port' | 'host' | 'dataDir' | 'announce' | 'tls' | 'stun' | 'turn' | 'turnSecret' | 'turnTtlSeconds' | 'turnMintsPerHour'> &
    Partial<Pick<RelayOptions, 'limits' | 'trustedProxies'>>
  /** The built app to serve. */
  distDir: string
  /** Where the start-up lines go. Default: stdout. */
  print?: (line: string) => void
  signal?: AbortSignal
}

/**
 * Open the one public port (the app, /bootstrap.json, libp2p over WebSocket;
 * https/wss with TLS), then start the libp2p relay on it. Prints the peer id
 * and addresses, and last the "Chiral is running at" line: whoever waits for
 * that line may use every service at once.
 */
export async function runRelay (init: RunRelayInit): Promise<RunningRelay> {
  const { options } = init
  const limits = options.limits ?? DEFAULT_LIMITS
  const print = init.print ?? ((line: string) => { process.stdout.write(line + '\n') })

  const privateKey = await loadOrCreateIdentity(resolve(options.dataDir), { signal: init.signal })
  const tls = options.tls == null ? undefined : await loadTls(options.tls, { signal: init.signal })
  for (const warning of tls?.warnings ?? []) process.stderr.write(`chiral: warning: ${warning}\n`)
  init.signal?.throwIfAborted()
  const ice = createIceServerIssuer({
    stun: options.stun,
    turn: options.turn,
    turnSecret: options.turnSecret,
    turnTtlSeconds: options.turnTtlSeconds,
    turnMintsPerHour: options.turnMintsPerHour
  })

  let node: RelayNode | undefined
  // until libp2p is up, /bootstrap.json answers 503 rather than an empty address list
  // TURN credentials are rate-limited per address (an IPv6 /64 counts as one, like every other per-address limit)
  const bootstrap = (clientIp: string, options: { mint: boolean }): BootstrapInfo | undefined =>
    node == null ? undefined : bootstrapInfo(node.peerId.toString(), node.getMultiaddrs(), ice.issue(ipKey(clientIp), options))
  const clients = clientAddresses(options.trustedProxies ?? [])
  const clientAddress = clients.of
  const server = createRelayHttpServer({ distDir: init.distDir, bootstrap, tls, limits, clientAddress })
  const guard = guardPublicPort(server, { maxConnectionsPerIp: limits.maxConnectionsPerIp, maxSockets: maxSocketsOf(limits), exempt: clients.isTrustedProxy })
  const address = await listenPublicPort(server, options.port, options.host, { signal: init.signal })
    .catch(err => { throw portError(err, options.host, options.port) })
  try {
    const announce = announceAddresses({ announce: options.announce, port: address.port, tlsDnsNames: tls?.dnsNames })
    node = await createRelayNode({ privateKey, server, secure: tls != null, announce, limits, clientAddress })
  } catch (err) {
    await closePublicPort(server, guard)
    throw err
  }
  const running = node
  const url = relayUrl({ host: options.host, port: address.port, tlsDnsNames: tls?.dnsNames })
  print(`Relay peer id: ${running.peerId.toString()}`)
  for (const ma of bootstrapInfo(running.peerId.toString(), running.getMultiaddrs()).multiaddrs) print(`Relay address: ${ma}`)
  for (const stun of options.stun) print(`STUN for browsers: ${stun}`)
  for (const turn of options.turn) print(`TURN for browsers: ${turn} (credentials valid ${options.turnTtlSeconds} s)`)
  print(`Bootstrap: ${url}${BOOTSTRAP_PATH}`)
  print(`Chiral is running at ${url}`)
  return {
    url,
    node: running,
    bootstrap: (clientIp = '') => bootstrapInfo(running.peerId.toString(), running.getMultiaddrs(), ice.issue(ipKey(clientIp))),
    stop: async () => {
      // libp2p first: it closes its WebSockets, which the HTTP server no longer tracks
      await running.stop()
      await closePublicPort(server, guard)
    }
  }
}

/** Turn "address in use" and "no such address" into actionable errors. */
function portError (err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException)?.code
  if (code === 'EADDRINUSE') {
    return new RelayListenError(`Port ${port} on ${host} is already in use (another relay running?). Choose another with --port (0 picks a free port).`, { cause: err })
  }
  if (code === 'EADDRNOTAVAIL') {
    return new RelayListenError(`Cannot listen on ${host}: no network interface has that address. Check --host.`, { cause: err })
  }
  if (code === 'EACCES') {
    return new RelayListenError(`Not allowed to listen on port ${port} (ports below 1024 need privileges: e.g. setcap cap_net_bind_service or a port forward).`, { cause: err })
  }
  return err
}
