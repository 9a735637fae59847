import type { Peer, PeerInit } from '../../core/types.ts'
import { markStart } from '../../core/util/start-marks.ts'

export type CreatePeer = (init: PeerInit) => Promise<Peer>

let loading: Promise<CreatePeer> | undefined

/**
 * The peer's code (app/core with libp2p, most of the bundle) is a chunk of its
 * own, so the page paints and takes input before it is parsed. The first call
 * starts loading it (main.tsx calls it before anything else); later calls join.
 * A failed load is forgotten, so the next start-up attempt fetches it again.
 */
export async function loadPeerCode (): Promise<CreatePeer> {
  loading ??= import('../../core/peer.ts').then(
    module => { markStart('core-loaded'); return module.createPeer },
    (err: unknown) => { loading = undefined; throw err }
  )
  return loading
}
