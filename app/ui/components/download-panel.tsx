import { createEffect, createSignal, on, type JSX } from 'solid-js'
import { createHashCid } from '../kernel/hash-route.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { TransferList } from './transfer-list.tsx'

export function DownloadPanel (): JSX.Element {
  const { transfers } = usePeer()
  const hashCid = createHashCid()
  const [input, setInput] = createSignal('')
  let field: HTMLInputElement | undefined

  // a new CID adds a row and never stops another download; one already listed is focused (and resumed)
  const start = (text: string): void => {
    const cid = transfers.start(text)
    // the address names the download last asked for, so it can be shared; no hashchange fires
    if (cid != null && location.hash !== `#/${cid}`) history.replaceState(history.state, '', `#/${cid}`)
  }

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
      <TransferList onRemoved={() => field?.focus()} />
    </section>
  )
}
