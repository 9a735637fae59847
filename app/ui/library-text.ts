/** Words for the library: an item's name and state, and the storage line. */
import { formatBytes } from './format.ts'
import { shareName } from './transfer-view.ts'
import type { LibraryItem, LibraryState } from '../core/types.ts'

export function libraryStateText (state: LibraryState): string {
  switch (state) {
    case 'sharing': return 'Sharing'
    case 'stopped': return 'Not shared'
    case 'downloading': return 'Downloading'
    case 'paused': return 'Download paused'
    case 'failed': return 'Download failed'
    case 'picked': return 'Picked files downloaded'
  }
}

/** An item is called as its download is (shareName): its file, its folder, or its first file and how many more. */
export function libraryItemName (item: Pick<LibraryItem, 'cid' | 'names'>): string {
  return shareName(item.cid, item.names)
}

export function storageText (usage: number, quota: number): string {
  const percent = quota > 0 ? Math.round(usage / quota * 100) : 0
  return `${formatBytes(usage)} of ${formatBytes(quota)} used (${percent} %)`
}
