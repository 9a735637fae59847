/// <reference lib="webworker" />
/**
 * The service worker asks the page that runs a download to fetch one block
 * first: a request on a MessagePort of its own to every window, answered on
 * that port once the block is stored (or with the failure's name). The page
 * side is app/ui/kernel/block-requests.ts.
 */
import { FETCH_FIRST_TIMEOUT_MS } from '../core/constants.ts'
import { AbortError, NotDownloadingError, TimeoutError } from '../core/errors.ts'

export const BLOCK_REQUEST = 'chiral:fetch-first'

export interface BlockRequest {
  type: typeof BLOCK_REQUEST
  /** The share's root CID (whose download knows the peers). */
  root: string
  /** The block wanted, as a CID string. */
  cid: string
}

export type BlockReply = { ok: true } | { ok: false, name: string, message: string }

export function isBlockRequest (data: unknown): data is BlockRequest {
  const d = data as Partial<BlockRequest> | null
  return d?.type === BLOCK_REQUEST && typeof d.root === 'string' && typeof d.cid === 'string'
}

/**
 * Ask every window to fetch `cid` of `root` first; resolves when one says it
 * is stored. Rejects with the last refusal when every window refused (none
 * downloads it), TimeoutError after FETCH_FIRST_TIMEOUT_MS, or AbortError.
 */
export async function requestBlock (clients: Clients, root: string, cid: string, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted()
  const windows = await clients.matchAll({ type: 'window' })
  if (windows.length === 0) throw new NotDownloadingError(root)
  const channels = windows.map(() => new MessageChannel())
  let timer: ReturnType<typeof setTimeout> | undefined
  let onAbort: (() => void) | undefined
  try {
    return await new Promise<void>((resolve, reject) => {
      let refused = 0
      timer = setTimeout(() => { reject(new TimeoutError('fetching a block first', FETCH_FIRST_TIMEOUT_MS)) }, FETCH_FIRST_TIMEOUT_MS)
      onAbort = () => { reject(signal?.reason instanceof Error ? signal.reason : new AbortError()) }
      signal?.addEventListener('abort', onAbort, { once: true })
      windows.forEach((client, i) => {
        const { port1, port2 } = channels[i] as MessageChannel
        port1.onmessage = (event: MessageEvent<BlockReply>) => {
          const reply = event.data
          if (reply?.ok === true) { resolve(); return }
          if (++refused === windows.length) reject(Object.assign(new Error(reply?.message ?? 'refused'), { name: reply?.name ?? 'Error' }))
        }
        const request: BlockRequest = { type: BLOCK_REQUEST, root, cid }
        client.postMessage(request, [port2])
      })
    })
  } finally {
    clearTimeout(timer)
    if (onAbort != null) signal?.removeEventListener('abort', onAbort)
    for (const { port1 } of channels) port1.close()
  }
}
