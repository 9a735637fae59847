import { For, type JSX } from 'solid-js'
import type { SharedFile } from '../../core/types.ts'
import { formatBytes } from '../format.ts'
import { OpenFileButton } from './open-file-button.tsx'
import { SaveButton } from './save-button.tsx'

/** The files of a share, each with its size, a Save button and (for media) Open. */
export function FileList (props: { cid: string, files: SharedFile[] }): JSX.Element {
  return (
    <ul class="file-list" data-testid="file-list">
      <For each={props.files}>
        {file => (
          <li class="file-row">
            <span class="file-name" data-testid="file-name" title={file.path}>{file.path}</span>
            <span class="file-size" data-testid="file-size">{formatBytes(file.size)}</span>
            <SaveButton cid={props.cid} path={file.path} />
            <OpenFileButton cid={props.cid} path={file.path} />
          </li>
        )}
      </For>
    </ul>
  )
}
