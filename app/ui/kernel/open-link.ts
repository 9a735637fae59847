import { parseCidInput } from '../../core/content/parse-cid.ts'
import type { LibraryStore } from './library-store.ts'
import type { TransfersStore } from './transfers-store.ts'

/**
 * Open a link or CID the person entered (or the page address named): a new CID
 * adds a download row and never stops another; one already listed is focused
 * (and resumed); your own link (a CID this browser holds whole, not listed as a
 * download) shows your library item instead of downloading from yourself.
 * The address then names the link, so it can be shared (no hashchange fires).
 */
export async function openLink (stores: { transfers: TransfersStore, library: LibraryStore }, text: string): Promise<void> {
  const { transfers, library } = stores
  const own = cidOf(text)
  const listed = own != null && transfers.entries().some(e => e.cid === own)
  const cid = own != null && !listed && await library.isOwn(own) ? own : undefined
  if (cid != null) library.reveal(cid)
  else if (transfers.start(text) == null) return
  const named = cid ?? cidOf(text)
  if (named != null && location.hash !== `#/${named}`) history.replaceState(history.state, '', `#/${named}`)
}

/** The CID in a link or CID, or undefined when it is none (transfers.start then reports the error). */
export function cidOf (text: string): string | undefined {
  try {
    return parseCidInput(text.trim()).toString()
  } catch {
    return undefined
  }
}
