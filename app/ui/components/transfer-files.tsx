import { createRenderEffect, Show, type JSX } from 'solid-js'
import type { TransferEntry } from '../kernel/transfer-entry.ts'
import { FileTree } from './file-tree.tsx'
import { SaveAllButton } from './save-all-button.tsx'

/**
 * A download's files, shown as soon as its folders arrive (before the data):
 * pick which to fetch, save each once complete, or all (the picked) as a zip
 * once the download is done.
 */
export function TransferFiles (props: { entry: TransferEntry, name: string }): JSX.Element {
  const files = () => props.entry.files()
  const picked = (): boolean => files()?.some(f => !f.selected) === true
  const select = (path: string, selected: boolean): void => {
    const list = files() ?? []
    const next = list.filter(f => f.path === path ? selected : f.selected).map(f => f.path)
    props.entry.select(next.length === list.length ? undefined : next)
  }
  return (
    <Show when={files() != null && (files()?.length ?? 0) > 0 ? files() : undefined}>
      {list => (
        <div class="transfer-files" data-testid={props.entry.state() === 'running' || props.entry.state() === 'paused' ? 'running-files' : undefined}>
          <label class="select-all">
            <input
              type="checkbox"
              data-testid="select-all-files"
              checked={!picked()}
              ref={box => { createRenderEffect(() => { box.indeterminate = picked() && list().some(f => f.selected) }) }}
              onChange={(e) => { props.entry.select(e.currentTarget.checked ? undefined : []) }}
            />
            Download every file
          </label>
          <FileTree cid={props.entry.cid} files={list()} onSelect={select} />
          <div class="tree-actions">
            <SaveAllButton
              cid={props.entry.cid}
              name={props.name}
              some={picked()}
              ready={props.entry.state() === 'done' && list().some(f => f.selected && f.complete)}
            />
          </div>
        </div>
      )}
    </Show>
  )
}
