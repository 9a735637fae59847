/** Words for the library: an item's name and state, and the storage line. */
import { formatBytes } from './format.ts'
import type { LibraryItem, LibraryState } from '../core/types.ts'

export function libraryStateText (state: LibraryState): string {
  switch (state) {
    case 'sharing': return 'Sharing'
    case 'stopped': return 'Not shared'
    case 'downloading': return 'Downloading'
    case 'paused': return 'Download paused'
    case 'failed': return 'Download failed'
  }
}

/** The first file's name, "+ n more" when there are several; the short CID before the file list is known. */
export function libraryItemName (item: Pick<LibraryItem, 'cid' | 'names'>): string {
  const [first, ...rest] = item.names
  if (first == null) return `${item.cid.slice(0, 12)}…`
  return rest.length === 0 ? first : `${first} + ${rest.length} more`
}

export function storageText (usage: number, quota: number): string {
  const percent = quota > 0 ? Math.round(usage / quota * 100) : 0
  return `${formatBytes(usage)} of ${formatBytes(quota)} used (${percent} %)`
}
