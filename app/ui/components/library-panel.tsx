import { For, Show, type JSX } from 'solid-js'
import { usePeer } from '../kernel/peer-context.tsx'
import { storageText } from '../library-text.ts'
import { LibraryItemRow } from './library-item.tsx'

/** Everything this browser holds (shares and downloads), and the storage it takes. */
export function LibraryPanel (): JSX.Element {
  const { library } = usePeer()
  return (
    <section class="settings library" aria-labelledby="library-heading">
      <h2 id="library-heading" class="small-heading">Library</h2>
      <Show when={library.storage()}>
        {use => <p class="muted" data-testid="storage-used" data-usage={use().usage} data-quota={use().quota}>Storage: {storageText(use().usage, use().quota)}</p>}
      </Show>
      <Show when={library.items().length === 0}>
        <p class="muted">Nothing yet: what you share or download is kept here, and shared from here while this tab is open.</p>
      </Show>
      <ul class="transfer-list" data-testid="library" aria-labelledby="library-heading">
        <For each={library.items()}>{item => <LibraryItemRow item={item} />}</For>
      </ul>
    </section>
  )
}
