import { createEffect, createSignal, For, Show, type JSX } from 'solid-js'
import type { SharedFile } from '../../core/types.ts'
import { formatBytes } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import type { TransferEntry } from '../kernel/transfer-entry.ts'
import { OpenFileButton } from './open-file-button.tsx'

/**
 * The files of a share that is still downloading, as soon as its folder
 * blocks are stored, each with Open (play while downloading). Listed again on
 * progress until the listing succeeds (the root arrives among the first blocks).
 * Stands in until the folder tree takes this place.
 */
export function RunningFiles (props: { entry: TransferEntry }): JSX.Element {
  const { peer } = usePeer()
  const [files, setFiles] = createSignal<SharedFile[]>()
  let listing = false
  createEffect(() => {
    const progress = props.entry.progress()
    if (files() != null || listing || progress == null || progress.bytes === 0) return
    listing = true
    peer.list(props.entry.cid).then(setFiles, () => {}).finally(() => { listing = false }) // not stored yet: the next progress tries again
  })
  return (
    <Show when={files()}>
      {list => (
        <ul class="file-list" data-testid="running-files">
          <For each={list()}>
            {file => (
              <li class="file-row">
                <span class="file-name" title={file.path}>{file.path}</span>
                <span class="file-size">{formatBytes(file.size)}</span>
                <OpenFileButton cid={props.entry.cid} path={file.path} />
              </li>
            )}
          </For>
        </ul>
      )}
    </Show>
  )
}
