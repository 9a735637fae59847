import { RelayUnreachableError } from '../../core/errors.ts'
import { BOOTSTRAP_PATH, parseBootstrapDocument, type BootstrapDocument } from '../../core/protocol/bootstrap-document.ts'
import type { IssuedIceServers } from '../../core/network/ice-servers.ts'
import type { PeerInit } from '../../core/types.ts'

/** What the relay serves at GET /bootstrap.json. */
export type BootstrapInfo = BootstrapDocument

/** Give up on /bootstrap.json after this long: the relay serves it from memory. */
export const BOOTSTRAP_TIMEOUT_MS = 10_000

/** @throws RelayUnreachableError when the relay cannot be asked or answers nonsense */
export async function fetchBootstrap (signal?: AbortSignal): Promise<BootstrapInfo> {
  const timeout = AbortSignal.timeout(BOOTSTRAP_TIMEOUT_MS)
  try {
    const res = await fetch(BOOTSTRAP_PATH, {
      cache: 'no-store',
      signal: signal != null ? AbortSignal.any([signal, timeout]) : timeout
    })
    if (!res.ok) throw new Error(`GET ${BOOTSTRAP_PATH} answered ${res.status}`)
    return parseBootstrapDocument(await res.json())
  } catch (err) {
    throw new RelayUnreachableError(err)
  }
}

function iceOf (info: BootstrapInfo): IssuedIceServers {
  return { servers: info.iceServers, ...(info.iceServersTtl != null ? { ttlMs: info.iceServersTtl * 1000 } : {}) }
}

/** The peer's configuration from the relay's document; expiring TURN credentials are renewed from the same place. */
export function peerInit (info: BootstrapInfo): PeerInit {
  return {
    bootstrap: info.multiaddrs,
    allowPrivateAddresses: info.allowPrivateAddresses,
    ice: {
      ...iceOf(info),
      renew: async ({ signal }) => iceOf(await fetchBootstrap(signal))
    }
  }
}
