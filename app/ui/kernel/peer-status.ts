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

/** What waiting for start-up needs of a Peer. */
export type StatusSource = Pick<Peer, 'status' | 'addEventListener' | 'removeEventListener'>

/** How long a download started during start-up waits for the relay before trying anyway. */
export const SETTLE_TIMEOUT_MS = 15_000

/**
 * Resolves once the peer is past start-up (connected, ready, or offline), or
 * after SETTLE_TIMEOUT_MS. Offline does not block: peers already connected
 * directly can still exchange blocks without the relay.
 */
export async function whenSettled (peer: StatusSource, signal: AbortSignal, timeoutMs = SETTLE_TIMEOUT_MS): Promise<void> {
  if (isSettled(peer.status)) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => { done(); resolve() }, timeoutMs)
    const done = (): void => {
      clearTimeout(timer)
      peer.removeEventListener('status', onStatus)
      signal.removeEventListener('abort', onAbort)
    }
    const onStatus = (event: CustomEvent<PeerStatus>): void => {
      if (isSettled(event.detail)) { done(); resolve() }
    }
    const onAbort = (): void => { done(); reject(signal.reason) }
    if (signal.aborted) { onAbort(); return }
    peer.addEventListener('status', onStatus)
    signal.addEventListener('abort', onAbort)
  })
}

function isSettled (status: PeerStatus): boolean {
  return status !== 'starting' && status !== 'connecting'
}
