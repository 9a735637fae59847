import type { JSX } from 'solid-js'
import type { LibraryItem } from '../../core/types.ts'
import { FileTree } from './file-tree.tsx'
import { SaveAllButton } from './save-all-button.tsx'

/** A complete item's files, each with Save and Open, and the whole item as a .zip: what was shared or downloaded stays usable after a reload. */
export function LibraryFiles (props: { item: LibraryItem }): JSX.Element {
  return (
    <div class="library-files">
      <FileTree cid={props.item.cid} files={props.item.files.map(f => ({ ...f, complete: true, selected: true }))} />
      <div class="tree-actions">
        <SaveAllButton cid={props.item.cid} name={props.item.files[0]?.path.split('/')[0] ?? props.item.cid} ready some={false} />
      </div>
    </div>
  )
}
