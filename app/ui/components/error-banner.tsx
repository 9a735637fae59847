import { Show, type JSX } from 'solid-js'
import { useErrors } from '../kernel/error-context.tsx'

/** The one `error` element: the current error as a sentence, absent when there is none; `data-error` names its class. */
export function ErrorBanner (): JSX.Element {
  const errors = useErrors()
  const name = (): string | undefined => {
    const err = errors.error() as { name?: unknown } | null | undefined
    return typeof err?.name === 'string' ? err.name : undefined
  }
  return (
    <Show when={errors.text()}>
      {text => (
        <div class="error-banner" role="alert">
          <p data-testid="error" data-error={name()}>{text()}</p>
          <button type="button" class="btn btn-small btn-quiet" aria-label="Dismiss the error" onClick={() => errors.clear()}>✕</button>
        </div>
      )}
    </Show>
  )
}
