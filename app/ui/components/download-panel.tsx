import { createEffect, createSignal, on, type JSX } from 'solid-js'
import { parseCidInput } from '../../core/index.ts'
import { createHashCid } from '../kernel/hash-route.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { TransferList } from './transfer-list.tsx'

export function DownloadPanel (): JSX.Element {
  const { transfers, library } = usePeer()
  const hashCid = createHashCid()
  const [input, setInput] = createSignal('')
  let field: HTMLInputElement | undefined

  // a new CID adds a row and never stops another download; one already listed is focused (and resumed)
  // your own link (a CID this browser holds whole, not listed as a download) shows your library item instead of downloading from yourself
  const start = async (text: string): Promise<void> => {
    const own = cidOf(text)
    // a CID already listed as a download is brought forward by the transfers store instead
    const listed = own != null && transfers.entries().some(e => e.cid === own)
    const cid = own != null && !listed && await library.isOwn(own) ? own : undefined
    if (cid != null) library.reveal(cid)
    else if (transfers.start(text) == null) return
    // the address names the link last opened, so it can be shared; no hashchange fires
    const named = cid ?? cidOf(text)
    if (named != null && location.hash !== `#/${named}`) history.replaceState(history.state, '', `#/${named}`)
  }

  // opening the page with #/<cid>, or a hashchange to one, fills the input and starts at once
  createEffect(on(hashCid, (cid) => {
    if (cid === '') return
    setInput(cid)
    void start(cid)
  }))

  return (
    <section class="card" aria-labelledby="receive-heading">
      <h2 id="receive-heading">Receive</h2>
      <form class="download-form" onSubmit={(e) => { e.preventDefault(); void start(input()) }}>
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

/** The CID in a link or CID, or undefined when it is none (transfers.start then reports the error). */
function cidOf (text: string): string | undefined {
  try {
    return parseCidInput(text.trim()).toString()
  } catch {
    return undefined
  }
}
