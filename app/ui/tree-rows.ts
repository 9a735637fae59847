/** A download's files as the rows of a tree: each folder once, before its files, indented by depth. */
export interface FolderRow { kind: 'folder', path: string, name: string, depth: number }
export interface FileRow<F> { kind: 'file', file: F, name: string, depth: number }
export type TreeRow<F> = FolderRow | FileRow<F>

/** `files` sorted by path (as a Transfer lists them); folders are inferred from the paths. */
export function treeRows<F extends { path: string }> (files: readonly F[]): Array<TreeRow<F>> {
  const rows: Array<TreeRow<F>> = []
  let open: string[] = []
  for (const file of files) {
    const segments = file.path.split('/')
    const folders = segments.slice(0, -1)
    let same = 0
    while (same < open.length && same < folders.length && open[same] === folders[same]) same++
    for (let depth = same; depth < folders.length; depth++) {
      rows.push({ kind: 'folder', path: folders.slice(0, depth + 1).join('/'), name: folders[depth] as string, depth })
    }
    open = folders
    rows.push({ kind: 'file', file, name: segments[segments.length - 1] as string, depth: folders.length })
  }
  return rows
}
