import * as dagPb from '@ipld/dag-pb'
import { CID } from 'multiformats/cid'
import type { BlockStore } from '../storage/block-store.ts'
import type { SweepWitness } from './sweep-witness.ts'
import type { AbortOptions } from '@libp2p/interface'

export interface CollectInit {
  /** The store itself, not a witnessed one (the collector's own reads touch nothing). */
  store: BlockStore
  /** Called after the snapshot: the roots that must survive (records and running downloads). */
  roots(): Promise<string[]>
  witness: SweepWitness
}

/**
 * Mark and sweep: snapshot the stored keys, mark every block reachable from
 * the roots, delete the snapshotted keys that are neither marked nor touched
 * meanwhile. A block written after the snapshot is never deleted, and a block
 * whose parent is stored is reachable through it, so a running download loses
 * nothing. Iterative (an explicit stack); a raw leaf is marked without being
 * read. Returns how many blocks were deleted.
 */
export async function collectGarbage (init: CollectInit, options: AbortOptions = {}): Promise<number> {
  const { store, witness } = init
  const touched = witness.begin()
  try {
    const snapshot: CID[] = []
    for await (const cid of store.keys(options)) snapshot.push(cid)
    const marked = await mark(store, await init.roots(), options)
    let deleted = 0
    for (const cid of snapshot) {
      options.signal?.throwIfAborted()
      const key = cid.toString()
      if (marked.has(key) || touched.has(key)) continue
      await store.delete(cid, options)
      deleted++
    }
    return deleted
  } finally {
    witness.end(touched)
  }
}

async function mark (store: BlockStore, roots: string[], options: AbortOptions): Promise<Set<string>> {
  const marked = new Set<string>()
  const stack = roots.map(root => CID.parse(root))
  while (stack.length > 0) {
    options.signal?.throwIfAborted()
    const cid = stack.pop() as CID
    const key = cid.toString()
    if (marked.has(key)) continue
    marked.add(key)
    if (cid.code !== dagPb.code) continue // raw leaves (and anything else we never link from) have no children
    const bytes = await store.get(cid, options).catch(() => undefined) // not (yet) stored: nothing below it is reachable through it
    if (bytes == null) continue
    for (const child of childLinks(bytes)) if (!marked.has(child.toString())) stack.push(child)
  }
  return marked
}

function childLinks (bytes: Uint8Array): CID[] {
  try {
    return dagPb.decode(bytes).Links.map(link => link.Hash)
  } catch {
    return [] // a block no download would have accepted links nothing
  }
}

