import { createSignal, Show, type JSX } from 'solid-js'
import { applyUpdate, updateAvailable } from '../kernel/service-worker.ts'

/**
 * "A new version is available": shown when a newer service worker waits.
 * The live region is always in the page, so screen readers announce the
 * prompt when it appears.
 */
export function UpdatePrompt (): JSX.Element {
  const [pressed, setPressed] = createSignal(false)
  return (
    <div class="update-region" role="status">
      <Show when={updateAvailable()}>
        <div class="update-prompt" data-testid="update-prompt">
          <span>A new version of Chiral is available.</span>
          <button
            type="button"
            class="btn btn-small btn-primary"
            data-testid="update-now"
            disabled={pressed()}
            onClick={() => { setPressed(true); applyUpdate() }}
          >
            {pressed() ? 'Updating…' : 'Update now'}
          </button>
        </div>
      </Show>
    </div>
  )
}
