import { createMemo, For, Show, type JSX } from 'solid-js'
import { formatBytes } from '../format.ts'
import { treeRows, type FileRow, type FolderRow, type TreeRow } from '../tree-rows.ts'
import { OpenFileButton } from './open-file-button.tsx'
import { SaveButton } from './save-button.tsx'

/** What a row needs: a download's TransferFile, or a share's file (complete, not selectable). */
export interface TreeFileView {
  path: string
  size: number
  /** The name as sent, when it had to be made safe or unique. */
  original?: string
  complete: boolean
  selected: boolean
}

/**
 * A share's files as a tree: folders once, files under them, each with its
 * size, a checkbox to fetch it (when `onSelect` is given) and Save (once it
 * is complete), and Open for media (it plays while it downloads). A name that could not be saved as sent shows the safe name
 * and, beside it, the original.
 */
export function FileTree (props: { cid: string, files: readonly TreeFileView[], onSelect?: (path: string, selected: boolean) => void }): JSX.Element {
  // rows keyed by kind and path: a new file list (a file completed) updates rows in place, so an open player stays open
  const rows = createMemo(() => new Map(treeRows(props.files).map(r => [`${r.kind}:${r.kind === 'folder' ? r.path : r.file.path}`, r])))
  const keys = createMemo(() => [...rows().keys()], undefined, { equals: (a, b) => a.length === b.length && a.every((k, i) => k === b[i]) })
  const row = (key: string): TreeRow<TreeFileView> => rows().get(key) as TreeRow<TreeFileView>
  const folderRow = (key: string): FolderRow => row(key) as FolderRow
  const fileRow = (key: string): FileRow<TreeFileView> => row(key) as FileRow<TreeFileView>
  return (
    <div class="file-tree-box" data-testid="file-list">
      <ul class="file-tree" data-testid="file-tree" aria-label="Files in this share">
        <For each={keys()}>
          {key => row(key).kind === 'folder'
            ? (
              <li class="folder-row" style={{ 'padding-left': `${12 + folderRow(key).depth * 18}px` }} data-testid="folder-item" data-path={folderRow(key).path}>
                <span class="folder-name" title={folderRow(key).path}>{folderRow(key).name}/</span>
              </li>
              )
            : (
              <li
                class="file-row"
                classList={{ 'file-row-skipped': !fileRow(key).file.selected }}
                style={{ 'padding-left': `${12 + fileRow(key).depth * 18}px` }}
                data-testid="file-item"
                data-path={fileRow(key).file.path}
                data-complete={fileRow(key).file.complete}
              >
                <Show when={props.onSelect}>
                  {select => (
                    <input
                      type="checkbox"
                      class="file-select"
                      data-testid="file-select"
                      checked={fileRow(key).file.selected}
                      aria-label={`Download ${fileRow(key).file.path}`}
                      onChange={(e) => { select()(fileRow(key).file.path, e.currentTarget.checked) }}
                    />
                  )}
                </Show>
                <span class="file-name" data-testid="file-name" title={fileRow(key).file.path}>
                  {fileRow(key).name}
                  <Show when={fileRow(key).file.original}>
                    {original => <span class="file-original" data-testid="file-original"> (sent as “{original()}”)</span>}
                  </Show>
                </span>
                <span class="file-size" data-testid="file-size">{formatBytes(fileRow(key).file.size)}</span>
                <span class="save-slot" data-testid="save-button">
                  <SaveButton cid={props.cid} path={fileRow(key).file.path} testid="save-file" complete={fileRow(key).file.complete} />
                </span>
                <OpenFileButton cid={props.cid} path={fileRow(key).file.path} />
              </li>
              )}
        </For>
      </ul>
    </div>
  )
}
