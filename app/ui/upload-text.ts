/** Words for the sharer's side: who downloads what from this browser, how far, and by which path. */
import { formatBytes, shortPeerId } from './format.ts'
import type { UploadEntry } from '../core/types.ts'

/** "42 %" of the share sent to that peer; '' while the share is not indexed. */
export function uploadPercentText (entry: Pick<UploadEntry, 'fraction'>): string {
  return entry.fraction == null ? '' : `${Math.floor(entry.fraction * 100)} %`
}

export function uploadRouteText (entry: Pick<UploadEntry, 'route'>): string {
  switch (entry.route) {
    case 'direct': return 'direct'
    case 'turn': return 'via TURN server'
    default: return 'path not known yet'
  }
}

/** One line for a screen reader and the row's title: "Peer 12D3KooW…abc received 4.20 MB (42 %) of report.pdf, direct". */
export function uploadSentence (entry: UploadEntry, name: string): string {
  const percent = uploadPercentText(entry)
  return `Peer ${shortPeerId(entry.peer)} received ${formatBytes(entry.bytes)}${percent === '' ? '' : ` (${percent})`} of ${name}, ${uploadRouteText(entry)}`
}

export function servedTotalText (bytes: number): string {
  return bytes === 0 ? 'Nothing sent to others yet in this visit.' : `Sent ${formatBytes(bytes)} to others in this visit.`
}
