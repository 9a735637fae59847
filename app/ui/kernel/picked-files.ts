import { MAX_DAG_DEPTH, MAX_SHARE_ENTRIES } from '../../core/constants.ts'
import { FolderReadError } from '../../core/errors.ts'

/**
 * A file to share, with where it sits in the share ('photos/2024/a.jpg'; just
 * its name when picked alone), or an empty folder (no `file`): `ipfs add -r`
 * keeps empty folders, so the share's CID stays Kubo's.
 */
export interface PickedFile {
  file?: File
  path: string
}

/**
 * Hidden files inside a folder are left out, as `ipfs add -r` leaves them
 * out by default: the share's CID stays Kubo's for the same folder (and
 * .DS_Store or .git do not travel by accident). A hidden item picked itself is kept.
 */
function hidden (path: string): boolean {
  return path.split('/').slice(1).some(segment => segment.startsWith('.'))
}

/** Files from a file or folder picker; a folder picker gives each its webkitRelativePath. */
export function pickedFiles (list: FileList | null | undefined): PickedFile[] {
  const files = [...(list ?? [])]
  if (files.length > MAX_SHARE_ENTRIES) throw new FolderReadError('too-many', { bound: MAX_SHARE_ENTRIES })
  return files
    .map(file => ({ file, path: file.webkitRelativePath !== '' ? file.webkitRelativePath : file.name }))
    .filter(picked => !hidden(picked.path))
}

/**
 * The entries of a drop, taken while the drop event runs (the browser forgets
 * them afterwards). Undefined when the browser offers no entry for some item
 * (a drop made by a script, an old browser): its plain file list is used then.
 */
export function droppedEntries (data: DataTransfer | null | undefined): FileSystemEntry[] | undefined {
  const items = [...(data?.items ?? [])].filter(item => item.kind === 'file')
  if (items.length === 0 || typeof items[0]?.webkitGetAsEntry !== 'function') return undefined
  const entries = items.map(item => item.webkitGetAsEntry())
  return entries.every(entry => entry != null) ? entries as FileSystemEntry[] : undefined
}

/**
 * Every file under dropped files and folders, read level by level with an
 * explicit queue (no recursion) and bounded like a share: at most
 * MAX_SHARE_ENTRIES entries and MAX_DAG_DEPTH levels, so a huge or looping
 * folder fails early with a FolderReadError instead of filling memory.
 */
export async function readDropped (entries: FileSystemEntry[], signal?: AbortSignal): Promise<PickedFile[]> {
  const out: PickedFile[] = []
  const queue: Array<{ entry: FileSystemEntry, path: string, depth: number }> = entries.map(entry => ({ entry, path: entry.name, depth: 1 }))
  let count = queue.length
  for (let i = 0; i < queue.length; i++) { // an index, not shift(): a queue of 2^18 stays linear
    signal?.throwIfAborted()
    const { entry, path, depth } = queue[i] as { entry: FileSystemEntry, path: string, depth: number }
    if (entry.isFile) {
      out.push({ file: await fileOf(entry as FileSystemFileEntry, path), path })
      continue
    }
    if (!entry.isDirectory) continue
    if (depth > MAX_DAG_DEPTH) throw new FolderReadError('too-deep', { bound: MAX_DAG_DEPTH })
    const children = (await childrenOf(entry as FileSystemDirectoryEntry, path)).filter(child => !child.name.startsWith('.')) // hidden, as above
    if (children.length === 0) out.push({ path }) // an empty folder stays in the tree
    for (const child of children) {
      if (++count > MAX_SHARE_ENTRIES) throw new FolderReadError('too-many', { bound: MAX_SHARE_ENTRIES })
      queue.push({ entry: child, path: `${path}/${child.name}`, depth: depth + 1 })
    }
  }
  return out
}

async function fileOf (entry: FileSystemFileEntry, path: string): Promise<File> {
  return new Promise((resolve, reject) => {
    entry.file(resolve, cause => { reject(new FolderReadError('unreadable', { path, cause })) })
  })
}

/** readEntries answers in batches (100 in Chromium) until an empty one. */
async function childrenOf (entry: FileSystemDirectoryEntry, path: string): Promise<FileSystemEntry[]> {
  const reader = entry.createReader()
  const all: FileSystemEntry[] = []
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => {
      reader.readEntries(resolve, cause => { reject(new FolderReadError('unreadable', { path, cause })) })
    })
    if (batch.length === 0) return all
    all.push(...batch)
    if (all.length > MAX_SHARE_ENTRIES) throw new FolderReadError('too-many', { bound: MAX_SHARE_ENTRIES })
  }
}
