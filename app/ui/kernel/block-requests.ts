import { FETCH_FIRST_TIMEOUT_MS } from '../../core/constants.ts'
import { isBlockRequest, type BlockReply } from '../../sw/block-request.ts'
import type { Peer } from '../../core/types.ts'

/**
 * Answer the service worker's "fetch this block first" requests (a player
 * reading a share that is still downloading) with this tab's peer: the block
 * jumps its download's queue, and the reply goes back on the request's port
 * once it is stored. A tab that does not download that share says so, and the
 * worker waits for another. Returns a function that stops listening.
 */
export function answerBlockRequests (peer: () => Peer | undefined): () => void {
  const container = typeof navigator !== 'undefined' ? navigator.serviceWorker : undefined
  if (container == null) return () => {}
  const onMessage = (event: MessageEvent): void => {
    if (!isBlockRequest(event.data)) return
    const port = event.ports[0]
    if (port == null) return
    const reply = (message: BlockReply): void => { port.postMessage(message); port.close() }
    const current = peer()
    if (current == null) { reply({ ok: false, name: 'NotDownloadingError', message: 'this tab has not started yet' }); return }
    current.fetchFirst(event.data.root, [event.data.cid], { signal: AbortSignal.timeout(FETCH_FIRST_TIMEOUT_MS) }).then(
      () => { reply({ ok: true }) },
      (err: unknown) => { reply({ ok: false, name: (err as Error).name ?? 'Error', message: (err as Error).message ?? String(err) }) }
    )
  }
  container.addEventListener('message', onMessage)
  container.startMessages() // messages sent before the listener was added are delivered now
  return () => { container.removeEventListener('message', onMessage) }
}
