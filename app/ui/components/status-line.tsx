import { Show, type JSX } from 'solid-js'
import { shortPeerId } from '../format.ts'

export type StatusTone = 'pending' | 'connected' | 'ready' | 'offline'

/** The status line in the header: a dot, the `peer-status` text, the short peer id, maybe Retry. */
export function StatusLine (props: { text: string, tone: StatusTone, peerId?: string, onRetry?: () => void }): JSX.Element {
  return (
    <div class="status-line" data-tone={props.tone}>
      <span class="status-dot" aria-hidden="true" />
      <span data-testid="peer-status" role="status" aria-live="polite">{props.text}</span>
      <Show when={props.peerId}>
        {id => <code class="peer-id" data-testid="peer-id" title={`Your peer id: ${id()}`}>{shortPeerId(id())}</code>}
      </Show>
      <Show when={props.onRetry}>
        {retry => <button type="button" class="btn btn-small" data-testid="retry-button" onClick={() => retry()()}>Retry</button>}
      </Show>
    </div>
  )
}
