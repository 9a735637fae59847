import { sanitizeFileName } from '../core/content/file-name.ts'
import type { TreeFile } from '../core/content/share-tree.ts'

export interface ZipPlan {
  /** The one folder every entry sits in; also the zip's name. */
  top: string
  entries: Array<{ name: string, file: TreeFile }>
}

/**
 * Where each file goes in the zip: always inside one top folder, so
 * unpacking never scatters files or escapes the folder. A share of one
 * folder (a dropped folder) is that folder; anything else gets a folder
 * named after the share. The paths are ShareTree's: every segment safe
 * (no '', '.', '..', separators) and unique in its folder.
 */
export function planZip (cid: string, files: readonly TreeFile[]): ZipPlan {
  const firsts = new Set(files.map(f => f.path.split('/')[0]))
  const oneFolder = files.length > 0 && firsts.size === 1 && files.every(f => f.path.includes('/'))
  if (oneFolder) {
    const top = [...firsts][0] as string
    return { top, entries: files.map(file => ({ name: file.path, file })) }
  }
  const top = sanitizeFileName(`chiral-${cid.slice(-10)}`)
  return { top, entries: files.map(file => ({ name: `${top}/${file.path}`, file })) }
}
