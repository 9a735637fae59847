import { exporter, type UnixFSEntry } from 'ipfs-unixfs-exporter'
import { UnsupportedContentError } from '../errors.ts'
import type { AbortOptions } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../storage/block-store.ts'
import type { SharedFile } from '../types.ts'

/** The exporter wants a `get` that yields bytes; ours resolves them. */
function readable (store: Pick<BlockStore, 'get'>): { get(cid: CID, options?: AbortOptions): AsyncGenerator<Uint8Array> } {
  return {
    async * get (cid, options) {
      yield await store.get(cid, options)
    }
  }
}

/** Nested folders deeper than this are not something a person dropped in. */
const MAX_DEPTH = 32

/** Every file under a root, with paths relative to it. A bare file root lists as itself. */
export async function listFiles (store: Pick<BlockStore, 'get'>, root: CID | string, options: AbortOptions = {}): Promise<SharedFile[]> {
  const files: SharedFile[] = []
  const visit = async (address: string, prefix: string, depth: number): Promise<void> => {
    const entry = await exporter(address, readable(store), options)
    if (isFile(entry)) {
      files.push({ path: prefix === '' ? entry.name : prefix, size: Number(entry.size), cid: entry.cid.toString() })
      return
    }
    if (entry.type !== 'directory' || depth > MAX_DEPTH) return
    for await (const child of entry.entries(options)) {
      await visit(child.cid.toString(), prefix === '' ? child.name : `${prefix}/${child.name}`, depth + 1)
    }
  }
  await visit(root.toString(), '', 0)
  return files
}

/** Stream one file of a stored DAG, block by block. */
export async function * readFile (store: Pick<BlockStore, 'get'>, root: CID | string, path: string, options: AbortOptions = {}): AsyncGenerator<Uint8Array> {
  const address = path === '' ? root.toString() : `${root.toString()}/${path}`
  const entry = await exporter(address, readable(store), options)
  if (!isFile(entry)) throw new UnsupportedContentError(`${path} is a ${entry.type}, not a file`)
  yield * entry.content(options)
}

function isFile (entry: UnixFSEntry): entry is Extract<UnixFSEntry, { type: 'file' | 'raw' | 'identity' }> {
  return entry.type === 'file' || entry.type === 'raw' || entry.type === 'identity'
}
