import { createEffect, createSignal, For, on, Show, type JSX } from 'solid-js'
import { createHashCid } from '../kernel/hash-route.ts'
import { PeerGate, useShell } from '../kernel/shell-context.tsx'
import { queuedLinkText } from '../pending-text.ts'
import { TransferList } from './transfer-list.tsx'

/** Receive: usable before the peer runs (a link entered then, or in the address, starts as soon as it does). */
export function DownloadPanel (): JSX.Element {
  const shell = useShell()
  const hashCid = createHashCid()
  const [input, setInput] = createSignal('')
  let field: HTMLInputElement | undefined

  // a new CID adds a row and never stops another download; your own link shows your library item (kernel/open-link.ts)
  const start = (text: string): void => { shell.open(text) }

  // opening the page with #/<cid>, or a hashchange to one, fills the input and starts at once
  createEffect(on(hashCid, (cid) => {
    if (cid === '') return
    setInput(cid)
    start(cid)
  }))

  return (
    <section class="card" aria-labelledby="receive-heading">
      <h2 id="receive-heading">Receive</h2>
      <form class="download-form" onSubmit={(e) => { e.preventDefault(); start(input()) }}>
        <label class="field-label" for="cid-input">Share link or CID</label>
        <div class="field-row">
          <input
            ref={field}
            id="cid-input"
            class="text-input mono"
            data-testid="cid-input"
            type="text"
            inputMode="url"
            autocomplete="off"
            autocapitalize="off"
            spellcheck={false}
            placeholder="https://…/#/bafy…  or  bafy…"
            value={input()}
            onInput={(e) => setInput(e.currentTarget.value)}
          />
          <button type="submit" class="btn btn-primary" data-testid="download-button">Download</button>
        </div>
      </form>
      <Show when={shell.pending.links().length > 0}>
        <ul class="queued-links" data-testid="download-queued" aria-live="polite">
          <For each={shell.pending.links()}>{link => <li class="muted">{queuedLinkText(link)}</li>}</For>
        </ul>
      </Show>
      <PeerGate><TransferList onRemoved={() => field?.focus()} /></PeerGate>
    </section>
  )
}
