import { RelayUnreachableError } from '../../core/errors.ts'
import type { PeerInit } from '../../core/types.ts'

/** What the relay serves at GET /bootstrap.json. */
export interface BootstrapInfo {
  peerId: string
  multiaddrs: string[]
  allowPrivateAddresses: boolean
}

/** Give up on /bootstrap.json after this long: the relay serves it from memory. */
export const BOOTSTRAP_TIMEOUT_MS = 10_000

/** @throws RelayUnreachableError when the relay cannot be asked or answers nonsense */
export async function fetchBootstrap (signal?: AbortSignal): Promise<BootstrapInfo> {
  const timeout = AbortSignal.timeout(BOOTSTRAP_TIMEOUT_MS)
  try {
    const res = await fetch('/bootstrap.json', {
      cache: 'no-store',
      signal: signal != null ? AbortSignal.any([signal, timeout]) : timeout
    })
    if (!res.ok) throw new Error(`GET /bootstrap.json answered ${res.status}`)
    const json: unknown = await res.json()
    if (!isBootstrapInfo(json)) throw new Error('GET /bootstrap.json answered an unexpected shape')
    return json
  } catch (err) {
    throw new RelayUnreachableError(err)
  }
}

export function peerInit (info: BootstrapInfo): PeerInit {
  return { bootstrap: info.multiaddrs, allowPrivateAddresses: info.allowPrivateAddresses }
}

function isBootstrapInfo (v: unknown): v is BootstrapInfo {
  if (typeof v !== 'object' || v == null) return false
  const o = v as Record<string, unknown>
  return typeof o.peerId === 'string' &&
    Array.isArray(o.multiaddrs) && o.multiaddrs.every(a => typeof a === 'string') &&
    typeof o.allowPrivateAddresses === 'boolean'
}
