import { For, Show, type JSX } from 'solid-js'
import { usePeer } from '../kernel/peer-context.tsx'
import { TransferRow } from './transfer-row.tsx'

/** Every download of this tab, newest first: started here, or left unfinished by a previous visit. */
export function TransferList (props: { onRemoved: () => void }): JSX.Element {
  const { transfers } = usePeer()
  return (
    <Show when={transfers.entries().length > 0}>
      <ul class="transfer-list" data-testid="transfer-list" aria-label="Downloads">
        <For each={transfers.entries()}>
          {entry => <TransferRow entry={entry} onRemoved={() => props.onRemoved()} />}
        </For>
      </ul>
    </Show>
  )
}
