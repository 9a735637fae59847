import type { Accessor, JSX } from 'solid-js'
import type { Peer, PeerStatus, UploadActivity } from '../../core/types.ts'
import { createStrictContext } from './strict-context.ts'
import { createPeerStatus } from './peer-status.ts'
import { createLibraryStore, type LibraryStore } from './library-store.ts'
import { createShareStore, type ShareStore } from './share-store.ts'
import { createTransfersStore, type TransfersStore } from './transfers-store.ts'
import { createUploadLimitStore, type UploadLimitStore } from './upload-limit-store.ts'
import { createUploadsStore } from './uploads-store.ts'
import { useErrors } from './error-context.tsx'
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

/** Adapts one Peer into signals and stores for everything below it. */
export function PeerProvider (props: { peer: Peer, children: JSX.Element }): JSX.Element {
  const errors = useErrors()
  // the provider is keyed on the peer by its parent, so reading props.peer once is right
  // eslint-disable-next-line solid/reactivity
  const peer = props.peer
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
  return <PeerContext.Provider value={value}>{props.children}</PeerContext.Provider>
}

export { usePeer }
