/** How a transfer's data flows, in words: from the selected ICE candidate pairs the core reports. */
import type { PeerPath } from '../core/network/connection-path.ts'

/**
 * One peer's path. Candidate types cannot tell a LAN from a NAT crossing (a
 * LAN peer's address often shows as peer-reflexive), so direct is just direct.
 * How we reach the TURN server is known only when the relay candidate is ours.
 */
export function pathText (path: PeerPath): string {
  if (path.route === 'turn') {
    return path.relayProtocol != null ? `via TURN server (${path.relayProtocol.toUpperCase()})` : 'via TURN server'
  }
  return `direct, browser to browser${path.protocol === 'tcp' ? ' (TCP)' : ''}`
}

/** All peers' paths in one line: the common case (one peer) reads as a sentence. */
export function pathsText (paths: PeerPath[]): string {
  if (paths.length === 0) return ''
  if (paths.length === 1) return pathText(paths[0]!)
  const direct = paths.filter(p => p.route === 'direct').length
  const turn = paths.length - direct
  return [direct > 0 ? `${direct} direct` : '', turn > 0 ? `${turn} via TURN server` : ''].filter(s => s !== '').join(', ')
}
