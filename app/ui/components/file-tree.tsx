import { For, Show, type JSX } from 'solid-js'
import { formatBytes } from '../format.ts'
import { treeRows } from '../tree-rows.ts'
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
  return (
    <div class="file-tree-box" data-testid="file-list">
      <ul class="file-tree" data-testid="file-tree" aria-label="Files in this share">
        <For each={treeRows(props.files)}>
          {row => row.kind === 'folder'
            ? (
              <li class="folder-row" style={{ 'padding-left': `${12 + row.depth * 18}px` }} data-testid="folder-item" data-path={row.path}>
                <span class="folder-name" title={row.path}>{row.name}/</span>
              </li>
              )
            : (
              <li
                class="file-row"
                classList={{ 'file-row-skipped': !row.file.selected }}
                style={{ 'padding-left': `${12 + row.depth * 18}px` }}
                data-testid="file-item"
                data-path={row.file.path}
                data-complete={row.file.complete}
              >
                <Show when={props.onSelect}>
                  {select => (
                    <input
                      type="checkbox"
                      class="file-select"
                      data-testid="file-select"
                      checked={row.file.selected}
                      aria-label={`Download ${row.file.path}`}
                      onChange={(e) => { select()(row.file.path, e.currentTarget.checked) }}
                    />
                  )}
                </Show>
                <span class="file-name" data-testid="file-name" title={row.file.path}>
                  {row.name}
                  <Show when={row.file.original}>
                    {original => <span class="file-original" data-testid="file-original"> (sent as “{original()}”)</span>}
                  </Show>
                </span>
                <span class="file-size" data-testid="file-size">{formatBytes(row.file.size)}</span>
                <span class="save-slot" data-testid="save-button">
                  <SaveButton cid={props.cid} path={row.file.path} testid="save-file" complete={row.file.complete} />
                </span>
                <OpenFileButton cid={props.cid} path={row.file.path} />
              </li>
              )}
        </For>
      </ul>
    </div>
  )
}
