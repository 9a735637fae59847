import { createEffect, createSignal, createUniqueId, on, Show, type JSX } from 'solid-js'
import type { LibraryItem } from '../../core/types.ts'
import { formatBytes, shareLink } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { libraryItemName, libraryStateText } from '../library-text.ts'
import { ConfirmDelete } from './confirm-delete.tsx'
import { CopyButton } from './copy-button.tsx'
import { LibraryFiles } from './library-files.tsx'
import { ShareQr } from './share-qr.tsx'

/** One thing this browser holds: name, size, state, CID, date, and what can be done with it. */
export function LibraryItemRow (props: { item: LibraryItem }): JSX.Element {
  const { library, transfers } = usePeer()
  const [busy, setBusy] = createSignal(false)
  const [qr, setQr] = createSignal(false)
  const [filesShown, setFilesShown] = createSignal(false)
  const [confirming, setConfirming] = createSignal(false)
  const [own, setOwn] = createSignal(false)
  const id = createUniqueId()
  let row: HTMLLIElement | undefined
  let deleteButton: HTMLButtonElement | undefined
  // your own link opened: this item is shown instead of a download
  createEffect(on(library.revealed, (cid) => {
    setOwn(cid === props.item.cid)
    if (cid !== props.item.cid || row == null) return
    row.scrollIntoView({ block: 'nearest' })
    row.focus({ preventScroll: true })
  }, { defer: true }))
  const closeConfirm = (): void => { setConfirming(false); deleteButton?.focus() }
  const name = (): string => libraryItemName(props.item)
  const complete = (): boolean => props.item.state === 'sharing' || props.item.state === 'stopped'
  // an unfinished item's size is how far its download got, live from its transfer (the library lists only on state changes)
  const size = (): string => {
    const progress = complete() ? undefined : transfers.entries().find(e => e.cid === props.item.cid)?.progress()
    if (progress == null) return formatBytes(props.item.totalBytes)
    const total = progress.totalBytes ?? props.item.totalBytes
    return total > 0 ? `${formatBytes(progress.bytes)} of ${formatBytes(total)}` : formatBytes(progress.bytes)
  }
  const run = async (action: () => Promise<void>): Promise<void> => {
    setBusy(true)
    try { await action() } finally { setBusy(false) }
  }
  return (
    <li
      ref={row}
      class="library-item"
      classList={{ 'library-item-own': own() }}
      data-testid="library-item"
      data-cid={props.item.cid}
      data-state={props.item.state}
      data-own={own() ? 'true' : undefined}
      tabIndex={-1}
      aria-label={name()}
    >
      <div class="transfer-head">
        <div class="transfer-title">
          <span class="transfer-name" title={props.item.names.join('\n')}>{name()}</span>
          <p class="muted">
            <span data-testid="library-item-state">{libraryStateText(props.item.state)}</span>
            {' · '}<span data-testid="library-item-size">{size()}</span>
            {' · '}{props.item.origin === 'shared' ? 'shared' : 'downloaded'} <time datetime={new Date(props.item.updatedAt).toISOString()}>{new Date(props.item.updatedAt).toLocaleString()}</time>
          </p>
          <code class="mono muted library-cid">{props.item.cid}</code>
        </div>
        <div class="transfer-actions">
          <CopyButton testid="copy-link" text={shareLink(location.origin, props.item.cid)} label={`Copy the link to ${name()}`} />
          <Show when={complete() && props.item.files.length > 0}>
            <button type="button" class="btn btn-small" data-testid="show-files" aria-expanded={filesShown()} aria-label={`${filesShown() ? 'Hide' : 'Show'} the files of ${name()}`} onClick={() => setFilesShown(!filesShown())}>Files</button>
          </Show>
          <button type="button" class="btn btn-small" data-testid="show-qr" aria-expanded={qr()} aria-label={`${qr() ? 'Hide' : 'Show'} QR code for ${name()}`} onClick={() => setQr(!qr())}>{qr() ? 'Hide QR' : 'QR'}</button>
          <Show when={complete() && props.item.sharing}>
            <button type="button" class="btn btn-small" data-testid="stop-sharing" disabled={busy()} aria-label={`Stop sharing ${name()}`} onClick={() => { void run(async () => library.stopSharing(props.item.cid)) }}>Stop sharing</button>
          </Show>
          <Show when={!props.item.sharing}>
            <button type="button" class="btn btn-small" data-testid="share-again" disabled={busy()} aria-label={`Share again: ${name()}`} onClick={() => { void run(async () => library.shareAgain(props.item.cid)) }}>Share again</button>
          </Show>
          <button ref={deleteButton} type="button" class="btn btn-small" data-testid="delete" disabled={busy()} aria-expanded={confirming()} aria-label={`Delete ${name()} from this browser`} onClick={() => setConfirming(!confirming())}>Delete</button>
        </div>
      </div>
      <Show when={own()}>
        <p class="own-share" data-testid="own-share" role="status">This is your own share: it is already in this browser{props.item.sharing ? ', and shared from here while this tab is open' : ''}.</p>
      </Show>
      <Show when={confirming()}>
        <ConfirmDelete
          name={name()}
          id={id}
          onCancel={closeConfirm}
          onConfirm={() => { setConfirming(false); void run(async () => library.delete(props.item.cid)) }}
        />
      </Show>
      <Show when={filesShown() && complete()}>
        <LibraryFiles item={props.item} />
      </Show>
      <Show when={qr()}>
        <ShareQr link={shareLink(location.origin, props.item.cid)} name={name()} />
      </Show>
    </li>
  )
}
