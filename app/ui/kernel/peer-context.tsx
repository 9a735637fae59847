import type { Accessor, JSX } from 'solid-js'
import type { Peer, PeerStatus, UploadActivity } from '../../core/types.ts'
import { createStrictContext } from './strict-context.ts'
import { createPeerStatus } from './peer-status.ts'
import { createLibraryStore, type LibraryStore } from './library-store.ts'
import { createShareStore, type ShareStore } from './share-store.ts'
import { createTransfersStore, type TransfersStore } from './transfers-store.ts'
import { createUploadLimitStore, type UploadLimitStore } from './upload-limit-store.ts'
import { createUploadsStore } from './uploads-store.ts'
import type { ErrorStore } from './error-store.ts'
import { createActivityTitle } from './activity-title.ts'
import { activityPercent } from '../activity-progress.ts'

export interface PeerContextValue {
  peer: Peer
  status: Accessor<PeerStatus>
  shares: ShareStore
  transfers: TransfersStore
  library: LibraryStore
  uploadLimit: UploadLimitStore
  /** Who downloads this browser's shares right now (sharer activity). */
  uploads: Accessor<UploadActivity>
}

const [PeerContext, usePeer] = createStrictContext<PeerContextValue>('Peer')

/** Adapts one Peer into signals and stores. Call inside a reactive owner: its listeners go with it. */
export function createPeerValue (peer: Peer, errors: ErrorStore): PeerContextValue {
  const value: PeerContextValue = {
    peer,
    status: createPeerStatus(peer),
    shares: createShareStore(peer, errors),
    transfers: createTransfersStore(peer, errors),
    library: createLibraryStore(peer, errors),
    uploadLimit: createUploadLimitStore(peer, errors),
    uploads: createUploadsStore(peer)
  }
  // the title (and the app badge while hidden) say how far everything moving is
  createActivityTitle(() => activityPercent(
    value.transfers.entries().map(e => ({ state: e.state(), progress: e.progress() })),
    value.shares.busy() ? value.shares.progress() : undefined
  ))
  return value
}

/** Gives `usePeer()` to everything below it (see PeerGate, which renders it once the peer runs). */
export function PeerProvider (props: { value: PeerContextValue, children: JSX.Element }): JSX.Element {
  return <PeerContext.Provider value={props.value}>{props.children}</PeerContext.Provider>
}

export { usePeer }
