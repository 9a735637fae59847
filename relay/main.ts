import { resolve } from 'node:path'
import { bootstrapInfo, type BootstrapInfo } from './bootstrap-info.ts'
import { RelayListenError } from './errors.ts'
import { closeHttp, createRelayHttpServer, listenHttp, BOOTSTRAP_PATH } from './http-server.ts'
import { loadOrCreateIdentity } from './identity.ts'
import { createIceServerIssuer } from './ice-servers.ts'
import { createRelayNode } from './libp2p.ts'
import type { RelayOptions } from './options.ts'

export interface RunningRelay {
  /** Where the app is served, e.g. http://127.0.0.1:8080 */
  url: string
  /** The bootstrap document as a client at `clientIp` would get it. */
  bootstrap: (clientIp?: string) => BootstrapInfo
  stop: () => Promise<void>
}

export interface RunRelayInit {
  options: Pick<RelayOptions, 'port' | 'wsPort' | 'host' | 'dataDir' | 'announce' | 'stun' | 'turn' | 'turnSecret' | 'turnTtlSeconds' | 'turnMintsPerHour'>
  /** The built app to serve. */
  distDir: string
  /** Where the start-up lines go. Default: stdout. */
  print?: (line: string) => void
  signal?: AbortSignal
}

/**
 * Start the libp2p relay, then the HTTP server that hands out its addresses.
 * Prints the peer id and addresses, and last the "Chiral is running at" line:
 * whoever waits for that line may use every service at once.
 */
export async function runRelay (init: RunRelayInit): Promise<RunningRelay> {
  const { options } = init
  const print = init.print ?? ((line: string) => { process.stdout.write(line + '\n') })

  const privateKey = await loadOrCreateIdentity(resolve(options.dataDir), { signal: init.signal })
  init.signal?.throwIfAborted()
  const node = await createRelayNode({ privateKey, host: options.host, wsPort: options.wsPort, announce: options.announce })
    .catch(err => { throw portError(err, '--ws-port', 'libp2p WebSocket', options.host, options.wsPort) })
  const ice = createIceServerIssuer({
    stun: options.stun,
    turn: options.turn,
    turnSecret: options.turnSecret,
    turnTtlSeconds: options.turnTtlSeconds,
    turnMintsPerHour: options.turnMintsPerHour
  })
  const bootstrap = (clientIp = ''): BootstrapInfo => bootstrapInfo(node.peerId.toString(), node.getMultiaddrs(), ice.issue(clientIp))

  const server = createRelayHttpServer({ distDir: init.distDir, bootstrap })
  try {
    const address = await listenHttp(server, options.port, options.host, { signal: init.signal })
      .catch(err => { throw portError(err, '--port', 'HTTP', options.host, options.port) })
    const url = `http://${browserHost(options.host)}:${address.port}`
    print(`Relay peer id: ${node.peerId.toString()}`)
    for (const ma of bootstrapInfo(node.peerId.toString(), node.getMultiaddrs()).multiaddrs) print(`Relay address: ${ma}`)
    for (const url of options.stun) print(`STUN for browsers: ${url}`)
    for (const url of options.turn) print(`TURN for browsers: ${url} (credentials valid ${options.turnTtlSeconds} s)`)
    print(`Bootstrap: ${url}${BOOTSTRAP_PATH}`)
    print(`Chiral is running at ${url}`)
    return {
      url,
      bootstrap,
      stop: async () => {
        await Promise.all([closeHttp(server), node.stop()])
      }
    }
  } catch (err) {
    await node.stop()
    throw err
  }
}

/** Turn "address in use" (as Node or as libp2p's listen summary reports it) into an actionable error. */
function portError (err: unknown, flag: string, what: string, host: string, port: number): unknown {
  const text = String((err as Error)?.message ?? err)
  if ((err as NodeJS.ErrnoException)?.code === 'EADDRINUSE' || text.includes('EADDRINUSE')) {
    return new RelayListenError(`The ${what} port ${port} on ${host} is already in use (another relay running?). Choose another with ${flag} (0 picks a free port).`, { cause: err })
  }
  if ((err as NodeJS.ErrnoException)?.code === 'EADDRNOTAVAIL' || text.includes('EADDRNOTAVAIL')) {
    return new RelayListenError(`Cannot listen on ${host}: no network interface has that address. Check --host.`, { cause: err })
  }
  return err
}

/** A URL host a browser can open: the unspecified address becomes localhost (a secure context). */
function browserHost (host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}
