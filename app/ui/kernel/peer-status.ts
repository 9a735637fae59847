import { createSignal, onCleanup, type Accessor } from 'solid-js'
import type { Peer, PeerStatus } from '../../core/types.ts'

/** The peer's network status as a signal. Call inside a reactive owner. */
export function createPeerStatus (peer: Peer): Accessor<PeerStatus> {
  const [status, setStatus] = createSignal<PeerStatus>(peer.status)
  const onStatus = (event: CustomEvent<PeerStatus>): void => { setStatus(event.detail) }
  const onWarning = (event: CustomEvent<Error>): void => { console.warn('chiral peer warning:', event.detail) }
  peer.addEventListener('status', onStatus)
  peer.addEventListener('warning', onWarning)
  // an event may have fired between creation and subscription
  setStatus(peer.status)
  onCleanup(() => {
    peer.removeEventListener('status', onStatus)
    peer.removeEventListener('warning', onWarning)
  })
  return status
}

/** Resolves once the peer can ask the network (relay connected or reservation held). */
export async function whenOnline (peer: Peer, signal: AbortSignal): Promise<void> {
  if (isOnline(peer.status)) return
  await new Promise<void>((resolve, reject) => {
    const done = (): void => {
      peer.removeEventListener('status', onStatus)
      signal.removeEventListener('abort', onAbort)
    }
    const onStatus = (event: CustomEvent<PeerStatus>): void => {
      if (isOnline(event.detail)) { done(); resolve() }
    }
    const onAbort = (): void => { done(); reject(signal.reason) }
    if (signal.aborted) { onAbort(); return }
    peer.addEventListener('status', onStatus)
    signal.addEventListener('abort', onAbort)
  })
}

export function isOnline (status: PeerStatus): boolean {
  return status === 'connected' || status === 'ready'
}
