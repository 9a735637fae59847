import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js'
import type { Peer, UploadActivity } from '../../core/types.ts'

/** The list is read again at most this often while blocks go out (a block every few ms at full speed). */
export const UPLOADS_REFRESH_MS = 500

export type UploadsPeer = Pick<Peer, 'uploads' | 'addEventListener' | 'removeEventListener'>

/**
 * The peer's sharer activity as a signal: read again after served blocks
 * (throttled), and on a timer while any download is listed, so an entry
 * whose peer went quiet disappears when the core expires it. Call inside a
 * reactive owner: the listener and timer go when it is disposed.
 */
export function createUploadsStore (peer: UploadsPeer, refreshMs = UPLOADS_REFRESH_MS): Accessor<UploadActivity> {
  const [activity, setActivity] = createSignal<UploadActivity>(peer.uploads())
  let timer: ReturnType<typeof setTimeout> | undefined

  const refresh = (): void => {
    timer = undefined
    const now = peer.uploads()
    setActivity(now)
    if (now.downloads.length > 0) schedule() // keep watching until every entry has expired
  }
  const schedule = (): void => { timer ??= setTimeout(refresh, refreshMs) }
  const onServed = (): void => { schedule() }

  peer.addEventListener('block:served', onServed)
  if (getOwner() != null) {
    onCleanup(() => {
      peer.removeEventListener('block:served', onServed)
      clearTimeout(timer)
    })
  }
  return activity
}
