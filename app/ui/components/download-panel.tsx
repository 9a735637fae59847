import { createEffect, createSignal, on, Show, type JSX } from 'solid-js'
import { createHashCid } from '../kernel/hash-route.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { FileList } from './file-list.tsx'
import { TransferProgress } from './transfer-progress.tsx'

export function DownloadPanel (): JSX.Element {
  const { downloads } = usePeer()
  const hashCid = createHashCid()
  const [input, setInput] = createSignal('')

  const start = (text: string): void => {
    if (!downloads.start(text)) return
    const cid = downloads.cid()
    // keep the address shareable and reload-resumable, without firing hashchange
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
      <Show when={downloads.state() !== 'idle'}>
        <TransferProgress />
      </Show>
      <Show when={downloads.result()}>
        {result => <FileList cid={result().cid} files={result().files} />}
      </Show>
    </section>
  )
}
