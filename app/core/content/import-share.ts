import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { CHUNK_SIZE } from '../constants.ts'
import { UnsupportedContentError } from '../errors.ts'
import { sanitizeFileName } from './file-name.ts'
import { installUnixfsSizeFix } from './unixfs-size-fix.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { ShareInput, ShareOptions, ShareResult, SharedFile } from '../types.ts'

installUnixfsSizeFix() // files of 2-4 GiB: see unixfs-size-fix.ts

/**
 * The DAG `ipfs add --cid-version=1 --wrap-with-directory` builds with Kubo's
 * defaults: 256 KiB fixed chunks, raw leaves, balanced layout with 174 links,
 * CIDv1 sha2-256. Anyone can check a Chiral CID with standard IPFS tools.
 */
export const KUBO_CIDV1_OPTIONS = {
  profile: 'unixfs-v0-2015',
  cidVersion: 1,
  rawLeaves: true,
  reduceSingleLeafToSelf: true,
  wrapWithDirectory: true
} as const

/**
 * Import files as one share: the root is a directory wrapping them so the file
 * names travel with the CID. Content is read as a stream, never whole.
 */
export async function importShare (inputs: ShareInput[], store: Pick<BlockStore, 'put'>, options: ShareOptions = {}): Promise<ShareResult> {
  if (inputs.length === 0) throw new UnsupportedContentError('there is nothing to share')
  const names = uniqueNames(inputs.map(input => sanitizeFileName(input.name)))
  const totalBytes = inputs.every(i => i.content instanceof Blob)
    ? inputs.reduce((sum, i) => sum + (i.content as Blob).size, 0)
    : undefined
  let bytesImported = 0
  const counted = (source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> => (async function * () {
    for await (const chunk of source) {
      options.signal?.throwIfAborted()
      bytesImported += chunk.byteLength
      options.onProgress?.({ phase: 'importing', bytesImported, totalBytes })
      yield chunk
    }
  })()
  const candidates: ImportCandidate[] = inputs.map((input, i) => ({
    path: names[i],
    content: counted(toChunks(input.content))
  }))

  const files: SharedFile[] = []
  let root: string | undefined
  const blockstore = {
    put: async (cid: Parameters<BlockStore['put']>[0], bytes: Uint8Array) => {
      await store.put(cid, bytes, { signal: options.signal })
      return cid
    }
  }
  for await (const entry of importer(candidates, blockstore, KUBO_CIDV1_OPTIONS)) {
    if (entry.path === '' || entry.path == null) {
      root = entry.cid.toString()
    } else if (entry.unixfs?.type !== 'directory') {
      files.push({ path: entry.path, size: Number(entry.unixfs?.fileSize() ?? entry.size), cid: entry.cid.toString() })
    }
  }
  if (root == null) throw new UnsupportedContentError('the importer produced no root directory')
  return { cid: root, files, totalBytes: files.reduce((sum, f) => sum + f.size, 0) }
}

/** Read a Blob slice by slice (so a 4 GB File never sits in memory), or pass a stream through. */
async function * toChunks (content: Blob | AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  if (!(content instanceof Blob)) {
    yield * content
    return
  }
  for (let offset = 0; offset < content.size; offset += CHUNK_SIZE * 4) {
    const slice = content.slice(offset, Math.min(offset + CHUNK_SIZE * 4, content.size))
    yield new Uint8Array(await slice.arrayBuffer())
  }
}

/** Two dropped files called "a.txt" must not collide in one directory. */
function uniqueNames (names: string[]): string[] {
  const seen = new Set<string>()
  return names.map(name => {
    let candidate = name
    for (let n = 1; seen.has(candidate); n++) {
      const dot = name.lastIndexOf('.')
      candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`
    }
    seen.add(candidate)
    return candidate
  })
}

