import * as dagPb from '@ipld/dag-pb'
import { logger } from '@libp2p/logger'
import { CID } from 'multiformats/cid'
import { SHARE_INDEX_MAX_BLOCKS, SHARE_INDEX_REFRESH_MS } from '../constants.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { AbortOptions } from '@libp2p/interface'

const log = logger('chiral:serve:index')

export interface ShareIndexInit {
  /** Where the shares' blocks are read (only dag-pb nodes are read; raw leaves are known by their parent's link). */
  store: Pick<BlockStore, 'get'>
  /** The library's roots (shares and downloads, complete or not). */
  roots(options?: AbortOptions): Promise<string[]>
  /** Default SHARE_INDEX_MAX_BLOCKS. */
  maxBlocks?: number
  /** Default SHARE_INDEX_REFRESH_MS. */
  refreshMs?: number
  now?(): number
}

interface ShareTotals {
  /** Distinct blocks of the share found in the store. */
  blocks: number
  /** Their bytes (raw leaves by their link's Tsize). */
  bytes: number
  /** A node below the root was missing (a download under way): the index may grow on a later refresh. */
  partial: boolean
}

/**
 * Which library share(s) a block belongs to, so a served block can be counted
 * for the share a peer downloads. Built from the store by walking each root's
 * DAG (iterative; raw leaves are not read), rebuilt lazily: when a block no
 * share claims is served and the library changed since, or a share was
 * partial and `refreshMs` passed. At most `maxBlocks` blocks are indexed.
 */
export class ShareIndex {
  private readonly init: ShareIndexInit
  private readonly maxBlocks: number
  private readonly refreshMs: number
  private readonly now: () => number
  private owners = new Map<string, string | string[]>()
  private totals = new Map<string, ShareTotals>()
  private dirty = true
  private lastBuilt = -Infinity
  private building: Promise<void> | undefined

  constructor (init: ShareIndexInit) {
    this.init = init
    this.maxBlocks = init.maxBlocks ?? SHARE_INDEX_MAX_BLOCKS
    this.refreshMs = init.refreshMs ?? SHARE_INDEX_REFRESH_MS
    this.now = init.now ?? (() => performance.now())
  }

  /** The library changed: the next unknown block rebuilds the index. */
  invalidate (): void {
    this.dirty = true
  }

  /** Blocks indexed, for tests and bounds. */
  get size (): number {
    return this.owners.size
  }

  /** The roots `cid` belongs to (a root belongs to itself); [] when none. Rebuilds first when it may be stale. */
  async sharesOf (cid: string, options: AbortOptions = {}): Promise<string[]> {
    const known = this.owners.get(cid)
    if (known != null) return typeof known === 'string' ? [known] : known
    if (this.stale()) await this.rebuild(options)
    const found = this.owners.get(cid)
    return found == null ? [] : typeof found === 'string' ? [found] : found
  }

  /**
   * The roots `cid` belongs to, rebuilding first only when the library changed
   * (not when a partial share might have grown): for a lookup on the serving
   * path, which must not wait for a periodic re-walk. Complete shares are
   * always wholly indexed after a rebuild (within `maxBlocks`).
   */
  async completeSharesOf (cid: string, options: AbortOptions = {}): Promise<string[]> {
    if (this.dirty || this.building != null) await this.rebuild(options)
    const found = this.owners.get(cid)
    return found == null ? [] : typeof found === 'string' ? [found] : found
  }

  /** Bytes of a share's distinct blocks, as far as they are stored; undefined when not indexed. */
  bytesOf (root: string): number | undefined {
    return this.totals.get(root)?.bytes
  }

  private stale (): boolean {
    if (this.building != null) return true // a build under way: wait for it
    if (this.dirty) return true
    const partial = [...this.totals.values()].some(t => t.partial)
    return partial && this.now() - this.lastBuilt >= this.refreshMs
  }

  private async rebuild (options: AbortOptions): Promise<void> {
    this.building ??= this.build(options).finally(() => { this.building = undefined })
    await this.building
  }

  private async build (options: AbortOptions): Promise<void> {
    this.dirty = false
    this.lastBuilt = this.now()
    const owners = new Map<string, string | string[]>()
    const totals = new Map<string, ShareTotals>()
    try {
      for (const root of await this.init.roots(options)) {
        totals.set(root, await this.walk(root, owners, options))
      }
    } catch (err) {
      this.dirty = true // try again at the next unknown block
      log('could not index the library: %s', (err as Error).message)
    }
    this.owners = owners
    this.totals = totals
  }

  private async walk (root: string, owners: Map<string, string | string[]>, options: AbortOptions): Promise<ShareTotals> {
    const totals: ShareTotals = { blocks: 0, bytes: 0, partial: false }
    const seen = new Set<string>()
    const stack: Array<{ cid: CID, size?: number }> = [{ cid: CID.parse(root) }]
    while (stack.length > 0) {
      options.signal?.throwIfAborted()
      const { cid, size } = stack.pop()!
      const key = cid.toString()
      if (seen.has(key)) continue
      if (owners.size >= this.maxBlocks && !owners.has(key)) { totals.partial = true; break }
      seen.add(key)
      if (cid.code === dagPb.code) {
        const bytes = await this.init.store.get(cid, options).catch(() => undefined)
        if (bytes == null) { totals.partial = true; continue } // not (yet) stored
        const node = decode(bytes)
        if (node == null) continue
        for (const link of node.Links) stack.push({ cid: link.Hash, size: link.Tsize })
        totals.bytes += bytes.byteLength
      } else {
        totals.bytes += size ?? 0
      }
      totals.blocks++
      const owner = owners.get(key)
      if (owner == null) owners.set(key, root)
      else if (typeof owner === 'string') { if (owner !== root) owners.set(key, [owner, root]) }
      else if (!owner.includes(root)) owner.push(root)
    }
    return totals
  }
}

function decode (bytes: Uint8Array): dagPb.PBNode | undefined {
  try {
    return dagPb.decode(bytes)
  } catch {
    return undefined // a block no download would have accepted links nothing
  }
}
