import { Show, type JSX } from 'solid-js'
import type { ShareProgress } from '../../core/types.ts'
import { formatBytes, percent } from '../format.ts'

/** Import progress of the files being shared. */
export function ShareProgressView (props: { progress: ShareProgress }): JSX.Element {
  const total = (): number => props.progress.totalBytes ?? 0
  const label = (): string => {
    switch (props.progress.phase) {
      case 'importing': return `Importing ${formatBytes(props.progress.bytesImported)} of ${formatBytes(total())}…`
      case 'announcing': return 'Announcing to the network…'
      case 'done': return 'Shared'
    }
  }
  return (
    <div class="share-progress">
      <p class="muted" data-testid="share-state" aria-live="polite">{label()}</p>
      <Show when={props.progress.phase !== 'done'}>
        <div
          class="bar"
          classList={{ 'bar-indeterminate': props.progress.phase === 'announcing' }}
          data-testid="share-progress"
          role="progressbar"
          aria-label="Import progress"
          aria-valuemin={0}
          aria-valuemax={total()}
          aria-valuenow={Math.min(props.progress.bytesImported, total())}
        >
          <div class="bar-fill" style={{ '--fill': String(props.progress.phase === 'announcing' ? 1 : percent(props.progress.bytesImported, total()) / 100) }} />
        </div>
      </Show>
    </div>
  )
}
