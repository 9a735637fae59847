/** How far everything that moves in this tab is, as one number: for the page title and the app badge. */
import type { DownloadProgress, ShareProgress } from '../core/types.ts'
import type { RowState } from './format.ts'

export interface MovingDownload {
  state: RowState
  progress: DownloadProgress | undefined
}

/**
 * Percent (0-99) of the bytes of running downloads and the share being
 * imported, over their known sizes; undefined when nothing moves. A download
 * of unknown size yet counts as 0 of 0 until its size is known.
 */
export function activityPercent (downloads: readonly MovingDownload[], share: ShareProgress | undefined): number | undefined {
  let done = 0
  let total = 0
  let moving = false
  for (const d of downloads) {
    if (d.state !== 'running' && d.state !== 'queued' && d.state !== 'waiting') continue
    moving = true
    const size = d.progress?.totalBytes
    if (size != null && size > 0) { total += size; done += Math.min(size, d.progress?.bytes ?? 0) }
  }
  if (share != null && share.phase !== 'done') {
    moving = true
    if (share.totalBytes != null && share.totalBytes > 0) { total += share.totalBytes; done += Math.min(share.totalBytes, share.bytesImported) }
  }
  if (!moving) return undefined
  // never 100 while something still moves: the last blocks are still being checked
  return total === 0 ? 0 : Math.min(99, Math.floor((done / total) * 100))
}

/** "42% · Chiral" while something moves; the page's own title otherwise. */
export function activityTitle (base: string, percent: number | undefined): string {
  return percent == null ? base : `${percent}% · Chiral`
}
