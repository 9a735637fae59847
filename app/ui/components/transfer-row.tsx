import { createEffect, on, Show, type JSX } from 'solid-js'
import { errorText } from '../error-text.ts'
import { transferStateText } from '../format.ts'
import { useErrors } from '../kernel/error-context.tsx'
import { usePeer } from '../kernel/peer-context.tsx'
import type { TransferEntry } from '../kernel/transfer-entry.ts'
import { transferName } from '../transfer-view.ts'
import { TransferFiles } from './transfer-files.tsx'
import { TransferActions } from './transfer-actions.tsx'
import { TransferProgress } from './transfer-progress.tsx'

/** One download: its name, state, progress, peers, buttons, and once done its files with Save. */
export function TransferRow (props: { entry: TransferEntry, onRemoved: () => void }): JSX.Element {
  const { transfers } = usePeer()
  const errors = useErrors()
  let row: HTMLLIElement | undefined
  const name = (): string => transferName(props.entry.cid, props.entry.result()?.files ?? props.entry.files())
  const state = () => props.entry.state()
  // a download asked for in this tab fails into the page's error banner: the row does not say it a second time
  const rowError = (): Error | undefined => {
    const err = state() === 'failed' ? props.entry.error() : undefined
    return err != null && err !== errors.error() ? err : undefined
  }

  // asking for this CID again brings its row into view and gives it focus
  createEffect(on(transfers.focus, (cid) => {
    if (cid !== props.entry.cid || row == null) return
    row.scrollIntoView({ block: 'nearest' })
    row.focus({ preventScroll: true })
  }, { defer: true }))

  return (
    <li
      ref={row}
      class="transfer transfer-row"
      data-testid="transfer"
      data-cid={props.entry.cid}
      data-state={state()}
      tabIndex={-1}
      aria-label={`Download of ${name()}`}
    >
      <div class="transfer-head">
        <div class="transfer-title">
          <span class="transfer-name" data-testid="transfer-name" title={props.entry.cid}>{name()}</span>
          <p class="transfer-state" data-testid="transfer-state" aria-live="polite">
            {transferStateText(state(), props.entry.progress()?.phase)}
          </p>
        </div>
        <TransferActions entry={props.entry} name={name()} onCancelled={() => row?.focus()} onRemoved={() => props.onRemoved()} />
      </div>
      <TransferProgress entry={props.entry} name={name()} />
      <Show when={rowError()}>
        {err => <p class="transfer-error" data-testid="transfer-error" data-error={err().name}>{errorText(err())}</p>}
      </Show>
      <TransferFiles entry={props.entry} name={name()} />
    </li>
  )
}
