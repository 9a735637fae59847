import { Show, type JSX } from 'solid-js'
import type { TransferEntry } from '../kernel/transfer-entry.ts'
import { usePeer } from '../kernel/peer-context.tsx'

/**
 * Pause / Resume (one button that changes, so keyboard focus stays on it),
 * Cancel while the download is under way, Remove once it is over.
 */
export function TransferActions (props: { entry: TransferEntry, name: string, onCancelled: () => void, onRemoved: () => void }): JSX.Element {
  const { transfers } = usePeer()
  const state = () => props.entry.state()
  const pausable = (): boolean => state() === 'queued' || state() === 'running'
  const resumable = (): boolean => state() === 'paused' || state() === 'failed'
  const over = (): boolean => state() === 'done' || state() === 'failed' || state() === 'cancelled'
  return (
    <div class="transfer-actions">
      <Show when={pausable() || resumable()}>
        <button
          type="button"
          class="btn btn-small"
          data-testid={pausable() ? 'pause-button' : 'resume-button'}
          aria-label={`${pausable() ? 'Pause' : 'Resume'} the download of ${props.name}`}
          onClick={() => { if (pausable()) transfers.pause(props.entry.cid); else transfers.resume(props.entry.cid) }}
        >
          {pausable() ? 'Pause' : 'Resume'}
        </button>
      </Show>
      <Show when={!over()}>
        <button
          type="button"
          class="btn btn-small btn-quiet"
          data-testid="cancel-button"
          aria-label={`Cancel the download of ${props.name}`}
          onClick={() => { transfers.cancel(props.entry.cid); props.onCancelled() }}
        >
          Cancel
        </button>
      </Show>
      <Show when={over()}>
        <button
          type="button"
          class="btn btn-small btn-quiet"
          data-testid="remove-button"
          aria-label={`Remove ${props.name} from the list`}
          title="Remove from the list (what was stored stays)"
          onClick={() => { transfers.remove(props.entry.cid); props.onRemoved() }}
        >
          Remove
        </button>
      </Show>
    </div>
  )
}
