import * as raw from 'multiformats/codecs/raw'
import { MAX_DAG_DEPTH, MAX_DAG_LINKS_PER_NODE, MAX_SHARE_ENTRIES } from '../constants.ts'
import { DagLimitError } from '../errors.ts'
import { FolderNames } from './safe-names.ts'
import { decodeUnixfsNode } from './unixfs-node.ts'
import type { EntryLink } from './unixfs-node.ts'
import type { CID } from 'multiformats/cid'

/** One file of a share as a person sees it. */
export interface TreeFile {
  /** Its path made safe and unique per folder, '/'-joined: what is shown, saved and zipped. */
  path: string
  /** The path as the share names it ('/'-joined; a name may itself hold '/'), when it differs from `path`. */
  original?: string
  cid: string
  size: number
}

/** A folder: its safe and original segments, and the names given out in it so far. */
interface Folder {
  safe: string[]
  original: string[]
  names: FolderNames
}

/** An entry whose block has not arrived: in which folder, under which names. */
interface Place {
  folder: Folder
  safe: string
  original: string
}

export interface ShareTreeLimits {
  /** Entries in all, repeats included (the root counts). Default MAX_SHARE_ENTRIES. */
  maxEntries: number
  /** Folder levels (HAMT shards included). Default MAX_DAG_DEPTH. */
  maxDepth: number
  /** Links per block. Default MAX_DAG_LINKS_PER_NODE. */
  maxLinks: number
}

/**
 * The file tree of a share, built from verified blocks in whatever order they
 * come: folders and HAMT shards list entries; an entry's block says whether it
 * is a file (and its size) or a folder; a raw entry is a file whose size its
 * folder's link gives. Names from the network are made safe and unique per
 * folder as each folder block arrives (FolderNames), so '', '..', 'a/b' and
 * duplicates become names that can be saved, and the original is kept.
 * Bounded like a download (entries, depth, links per block).
 *
 * @throws DagLimitError | MalformedDagError from add()
 */
export class ShareTree {
  private readonly limits: ShareTreeLimits
  private readonly rootKey: string
  /** Entries of unknown kind (dag-pb), by CID. */
  private readonly pending = new Map<string, Place[]>()
  /** Deeper HAMT shards, by CID: the folder they belong to. */
  private readonly shards = new Map<string, Folder[]>()
  private readonly byPath = new Map<string, TreeFile>()
  private readonly byCid = new Map<string, TreeFile[]>()
  private entries = 1
  private version = 0

  constructor (root: CID, limits: Partial<ShareTreeLimits> = {}) {
    this.limits = { maxEntries: MAX_SHARE_ENTRIES, maxDepth: MAX_DAG_DEPTH, maxLinks: MAX_DAG_LINKS_PER_NODE, ...limits }
    this.rootKey = root.toString()
    this.pending.set(this.rootKey, [{ folder: { safe: [], original: [], names: new FolderNames() }, safe: '', original: '' }])
  }

  /** Changes with every file or folder learned: a cheap "has it changed" for whoever shows it. */
  get changes (): number { return this.version }

  /** Whether every folder, shard and entry is known (the list is whole). */
  get complete (): boolean { return this.pending.size === 0 && this.shards.size === 0 }

  /** Whether `cid`'s block would tell the tree something. */
  wants (cid: CID | string): boolean {
    const key = cid.toString()
    return this.pending.has(key) || this.shards.has(key)
  }

  /** One block the tree still waits for, if any. */
  nextWanted (): string | undefined {
    for (const key of this.pending.keys()) return key
    for (const key of this.shards.keys()) return key
    return undefined
  }

  /** Every file known so far, by path. */
  files (): TreeFile[] {
    return [...this.byPath.values()].sort((a, b) => a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  }

  /** The files a CID is (one file's content may sit at several paths). */
  filesOf (cid: string): readonly TreeFile[] {
    return this.byCid.get(cid) ?? []
  }

  file (path: string): TreeFile | undefined {
    return this.byPath.get(path)
  }

  /** Learn from a verified block; one the tree does not wait for is ignored. Returns whether the tree changed. */
  add (cid: CID, block: Uint8Array): boolean {
    const key = cid.toString()
    const places = this.pending.get(key)
    const shardOf = this.shards.get(key)
    if (places == null && shardOf == null) return false
    this.pending.delete(key)
    this.shards.delete(key)
    const node = decodeUnixfsNode(cid, block, { maxLinks: this.limits.maxLinks })
    for (const place of places ?? []) {
      if (node.kind === 'raw' || node.kind === 'file') {
        this.addFile(place, key, node.kind === 'raw' ? node.dataBytes : Number(node.fileSize))
      } else if (node.kind === 'directory' || node.kind === 'shard') {
        const folder = this.folderAt(place, key)
        this.list(folder, node.links, key)
      }
    }
    for (const folder of shardOf ?? []) {
      if (node.kind === 'shard') this.list(folder, node.links, key)
    }
    this.version++
    return true
  }

  private folderAt (place: Place, key: string): Folder {
    if (key === this.rootKey && place.folder.safe.length === 0 && place.safe === '') return place.folder
    const folder = { safe: [...place.folder.safe, place.safe], original: [...place.folder.original, place.original], names: new FolderNames() }
    if (folder.safe.length > this.limits.maxDepth) throw new DagLimitError('depth', this.limits.maxDepth, { cid: key })
    return folder
  }

  private list (folder: Folder, links: ReadonlyArray<EntryLink | { subShard: true, cid: CID }>, key: string): void {
    for (const link of links) {
      if ('subShard' in link && link.subShard) {
        const shards = this.shards.get(link.cid.toString()) ?? []
        shards.push(folder)
        this.shards.set(link.cid.toString(), shards)
        continue
      }
      const entry = link as EntryLink
      if (++this.entries > this.limits.maxEntries) throw new DagLimitError('entries', this.limits.maxEntries, { cid: key })
      const place = { folder, safe: folder.names.place(entry.name), original: entry.name }
      const childKey = entry.cid.toString()
      if (entry.cid.code === raw.code && entry.rawBytes != null) {
        this.addFile(place, childKey, entry.rawBytes)
      } else {
        const places = this.pending.get(childKey) ?? []
        places.push(place)
        this.pending.set(childKey, places)
      }
    }
  }

  private addFile (place: Place, cid: string, size: number): void {
    const safe = [...place.folder.safe, place.safe].filter(s => s !== '')
    const original = [...place.folder.original, place.original].filter(s => s !== '')
    const path = safe.length === 0 ? cid : safe.join('/') // a bare file root is named by its CID
    const file: TreeFile = { path, cid, size }
    const given = original.join('/')
    if (safe.length > 0 && (given !== path || original.some(s => s.includes('/')))) file.original = given
    this.byPath.set(path, file)
    const same = this.byCid.get(cid) ?? []
    same.push(file)
    this.byCid.set(cid, same)
  }
}
