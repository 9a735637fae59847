import { createSignal, Show, type JSX } from 'solid-js'
import { errorText } from '../error-text.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { formatRate, parseRate } from '../rate-input.ts'

/** The upload speed limit: typed ("500 KB/s", "2 MB/s", "off"), applied on Enter or on leaving the field. */
export function UploadLimitField (): JSX.Element {
  const { uploadLimit } = usePeer()
  const [text, setText] = createSignal(uploadLimit.limit() == null ? '' : formatRate(uploadLimit.limit()))
  const [problem, setProblem] = createSignal<unknown>()

  const commit = (): void => {
    let bytesPerSecond: number | undefined
    try {
      bytesPerSecond = parseRate(text())
    } catch (err) {
      setProblem(() => err)
      return
    }
    setProblem(undefined)
    if (bytesPerSecond !== uploadLimit.limit()) uploadLimit.set(bytesPerSecond)
    setText(bytesPerSecond == null ? '' : formatRate(bytesPerSecond))
  }

  const status = (): string => {
    const limit = uploadLimit.limit()
    return limit == null ? 'Uploads are not limited.' : `What this tab sends to others is limited to ${formatRate(limit)} in all.`
  }

  return (
    <form class="download-form" onSubmit={(e) => { e.preventDefault(); commit() }}>
      <label class="field-label" for="upload-limit-input">Upload speed limit</label>
      <div class="field-row">
        <input
          id="upload-limit-input"
          class="text-input"
          data-testid="upload-limit-input"
          type="text"
          inputMode="decimal"
          autocomplete="off"
          spellcheck={false}
          placeholder="off — or e.g. 500 KB/s, 2 MB/s"
          aria-describedby={problem() != null ? 'upload-limit-problem' : 'upload-limit-status'}
          aria-invalid={problem() != null}
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          onChange={() => commit()}
        />
        <button type="submit" class="btn" data-testid="upload-limit-apply">Apply</button>
      </div>
      <Show
        when={problem()}
        fallback={
          <p class="muted" id="upload-limit-status" data-testid="upload-limit-status" data-bytes-per-second={uploadLimit.limit() ?? ''}>
            {status()}
          </p>
        }
      >
        {err => <p class="transfer-error" id="upload-limit-problem" data-testid="upload-limit-error" role="alert">{errorText(err())}</p>}
      </Show>
    </form>
  )
}
