import { generateKeyPair } from '@libp2p/crypto/keys'
import { bootstrapInfo } from '../../relay/bootstrap-info.ts'
import { createRelayHttpServer } from '../../relay/http-server.ts'
import { createRelayNode, type RelayNode } from '../../relay/libp2p.ts'
import { DEFAULT_LIMITS, maxSocketsOf, type RelayLimits } from '../../relay/limits.ts'
import { closePublicPort, guardPublicPort, listenPublicPort } from '../../relay/public-port.ts'
import type { PrivateKey } from '@libp2p/interface'

export interface TestRelay {
  node: RelayNode
  /** http://127.0.0.1:<port> */
  url: string
  stop: () => Promise<void>
}

/**
 * The relay as `npm start` assembles it (one HTTP port carrying libp2p over
 * WebSocket), in this process, on a free loopback port, without the app.
 */
export async function startTestRelay (options: { limits?: Partial<RelayLimits>, port?: number, privateKey?: PrivateKey, onProviderRemoved?: (cid: string, peer: string) => void } = {}): Promise<TestRelay> {
  const limits = { ...DEFAULT_LIMITS, ...options.limits }
  let node: RelayNode | undefined
  const server = createRelayHttpServer({
    distDir: '/nonexistent/dist',
    bootstrap: () => node == null ? undefined : bootstrapInfo(node.peerId.toString(), node.getMultiaddrs()),
    limits
  })
  const guard = guardPublicPort(server, { maxConnectionsPerIp: limits.maxConnectionsPerIp, maxSockets: maxSocketsOf(limits) })
  const address = await listenPublicPort(server, options.port ?? 0, '127.0.0.1')
  try {
    node = await createRelayNode({
      privateKey: options.privateKey ?? await generateKeyPair('Ed25519'),
      server,
      secure: false,
      limits,
      ...(options.onProviderRemoved != null ? { onProviderRemoved: options.onProviderRemoved } : {})
    })
  } catch (err) {
    await closePublicPort(server, guard)
    throw err
  }
  const running = node
  return {
    node: running,
    url: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      await running.stop()
      await closePublicPort(server, guard)
    }
  }
}
