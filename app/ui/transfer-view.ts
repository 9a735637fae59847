/** What a download row shows, from what the core reports: its name and who sent what, by which path. */
import type { PeerPath } from '../core/network/connection-path.ts'
import type { SharedFile } from '../core/types.ts'
import type { SourceCount } from '../core/types.ts'

/** `bafkrei…s52zy`: a CID stands in for the name until the file list is known. */
export function shortCid (cid: string): string {
  return cid.length <= 20 ? cid : `${cid.slice(0, 8)}…${cid.slice(-6)}`
}

/** The file's name, or the first name and how many more; the short CID while the names are unknown. */
export function transferName (cid: string, files: readonly SharedFile[] | undefined): string {
  return shareName(cid, (files ?? []).map(f => f.path))
}

/**
 * How a share is called everywhere (downloads, library, sharer activity): its
 * file, its folder ("album (50 files)"), or its first file "and n more"; the
 * short CID while its file list is unknown.
 */
export function shareName (cid: string, paths: readonly string[]): string {
  const first = paths[0]
  if (first == null) return shortCid(cid)
  if (paths.length === 1) return first
  // a shared folder is named by its folder
  const top = first.split('/')[0] as string
  if (first.includes('/') && paths.every(p => p.startsWith(`${top}/`))) return `${top} (${paths.length} files)`
  return `${first} and ${paths.length - 1} more`
}

export interface PeerSource extends SourceCount {
  /** How its data flows, once known. */
  path?: PeerPath
}

/** Each peer that sent blocks, with its path, most blocks first. */
export function peerSources (sources: readonly SourceCount[] | undefined, paths: readonly PeerPath[] | undefined): PeerSource[] {
  const byPeer = new Map((paths ?? []).map(p => [p.peer, p]))
  return (sources ?? [])
    .map(source => {
      const path = byPeer.get(source.peer)
      return path != null ? { ...source, path } : { ...source }
    })
    .sort((a, b) => b.blocks - a.blocks || a.peer.localeCompare(b.peer))
}
