import type { Peer } from '../../core/types.ts'

/**
 * A Peer that may have `setUploadLimit` (the core is getting it: until then the
 * setting is only kept). `peerId` is there so that any Peer fits, with or without it.
 */
export type UploadLimitPeer = Pick<Peer, 'peerId'> & {
  setUploadLimit?: (bytesPerSecond: number | undefined) => unknown
}

/**
 * Apply an upload limit (bytes per second, undefined for none) through
 * `peer.setUploadLimit` when the core offers it.
 * @returns false when this core cannot limit uploads
 */
export function applyUploadLimit (peer: UploadLimitPeer, bytesPerSecond: number | undefined): boolean {
  if (typeof peer.setUploadLimit !== 'function') return false
  peer.setUploadLimit(bytesPerSecond)
  return true
}
