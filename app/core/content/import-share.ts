import { importer, type ImportCandidate } from 'ipfs-unixfs-importer'
import { CHUNK_SIZE, IMPORT_WRITES_IN_FLIGHT } from '../constants.ts'
import { UnsupportedContentError } from '../errors.ts'
import { FolderNames, pathSegments } from './safe-names.ts'
import { installUnixfsSizeFix } from './unixfs-size-fix.ts'
import { WriteWindow } from '../storage/write-window.ts'
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
 * names travel with the CID. An input's `path` (a folder's relative path)
 * keeps the tree: each segment is made safe and unique within its folder.
 * Content is read as a stream, never whole.
 */
export async function importShare (inputs: ShareInput[], store: Pick<BlockStore, 'put'>, options: ShareOptions = {}): Promise<ShareResult> {
  if (inputs.length === 0) throw new UnsupportedContentError('there is nothing to share')
  const names = safePaths(inputs.map(input => input.path != null ? pathSegments(input.path) : [input.name]))
  const totalBytes = inputs.every(i => i.content == null || i.content instanceof Blob)
    ? inputs.reduce((sum, i) => sum + (i.content instanceof Blob ? i.content.size : 0), 0)
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
  // an input without content is an empty folder: the importer writes a directory for a path with no content
  const candidates: ImportCandidate[] = inputs.map((input, i) => input.content == null
    ? { path: names[i] as string }
    : { path: names[i], content: counted(toChunks(input.content)) })

  const files: SharedFile[] = []
  let root: string | undefined
  const writes = new WriteWindow(IMPORT_WRITES_IN_FLIGHT)
  const blockstore = {
    put: async (cid: Parameters<BlockStore['put']>[0], bytes: Uint8Array) => {
      await writes.add(store.put(cid, bytes, { signal: options.signal }))
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
  await writes.drain()
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

/** A folder of the share being laid out: its names, and its sub-folders by their given names. */
interface Folder {
  names: FolderNames
  folders: Map<string, { name: string, folder: Folder }>
}

/**
 * Each input's safe path: folders with one given name are one folder, and
 * every name is unique in its folder (two dropped "a.txt" do not collide, nor
 * a file and a folder whose names sanitize alike).
 */
function safePaths (inputs: string[][]): string[] {
  const root: Folder = { names: new FolderNames(), folders: new Map() }
  return inputs.map(segments => {
    const parts = segments.length > 0 ? segments : ['']
    let folder = root
    const out: string[] = []
    for (const segment of parts.slice(0, -1)) {
      let sub = folder.folders.get(segment)
      if (sub == null) {
        sub = { name: folder.names.place(segment), folder: { names: new FolderNames(), folders: new Map() } }
        folder.folders.set(segment, sub)
      }
      out.push(sub.name)
      folder = sub.folder
    }
    out.push(folder.names.place(parts[parts.length - 1] as string))
    return out.join('/')
  })
}
