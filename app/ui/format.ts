/** Pure formatting for the UI: sizes, speeds, ids, transfer states. */
import type { DownloadProgress, PeerStatus, TransferState } from '../core/types.ts'

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB']

/** Decimal units, as file managers show them: 1 MB = 1,000,000 bytes. */
export function formatBytes (bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–'
  let value = bytes
  let unit = 0
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000
    unit++
  }
  if (unit === 0) return `${value} B`
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0)} ${UNITS[unit]}`
}

/** Always in MB/s, so speeds compare at a glance. */
export function formatSpeed (bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '0.0 MB/s'
  const mb = bytesPerSecond / 1_000_000
  return `${mb < 10 ? mb.toFixed(2) : mb.toFixed(1)} MB/s`
}

export function formatPeers (n: number): string {
  if (!Number.isFinite(n) || n < 0) return '0 peers'
  return n === 1 ? '1 peer' : `${n} peers`
}

/** `12D3KooW…AbCdEf`: enough to tell peers apart. */
export function shortPeerId (id: string): string {
  return id.length <= 16 ? id : `${id.slice(0, 8)}…${id.slice(-6)}`
}

export function statusText (status: PeerStatus): string {
  switch (status) {
    case 'starting':
    case 'connecting': return 'Connecting to relay…'
    case 'connected': return 'Connected to relay'
    case 'ready': return 'Status: ready — reachable by peers'
    case 'offline': return 'Relay unreachable — retrying'
  }
}

/** A download row's state: the core transfer's, or `waiting` while start-up settles before it is asked for. */
export type RowState = TransferState | 'waiting'

/**
 * What a row says it is doing. A running transfer says which phase it is in.
 * Finished rows end in "complete", "failed" or "cancelled" (tests read that).
 */
export function transferStateText (state: RowState, phase?: DownloadProgress['phase']): string {
  switch (state) {
    case 'waiting': return 'connecting to the relay'
    case 'queued': return 'queued'
    case 'running':
      switch (phase) {
        case 'connecting': return 'connecting'
        case 'transferring':
        case 'done': return 'transferring'
        default: return 'finding peers'
      }
    case 'paused': return 'paused'
    case 'done': return 'Download complete'
    case 'failed': return 'Download failed'
    case 'cancelled': return 'Download cancelled'
  }
}

/** Percentage 0–100 for a progress bar; 0 while the size is unknown. */
export function percent (bytes: number, total: number | undefined): number {
  if (total == null || total <= 0) return 0
  return Math.min(100, Math.max(0, (bytes / total) * 100))
}

export function shareLink (origin: string, cid: string): string {
  return `${origin}/#/${cid}`
}
