import { Show, type JSX } from 'solid-js'
import { formatBytes, formatPeers, formatSpeed, percent, transferStateText } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'

/** State, bar, bytes, speed and peers of the current download. */
export function TransferProgress (): JSX.Element {
  const { downloads } = usePeer()
  const bytes = (): number => downloads.progress()?.bytes ?? 0
  const total = (): number | undefined => downloads.progress()?.totalBytes
  const state = (): string => downloads.state()
  const finished = (): boolean => ['complete', 'failed', 'cancelled'].includes(state())
  const sizeText = (): string => {
    const t = total()
    return t == null ? `${formatBytes(bytes())} of unknown size` : `${formatBytes(bytes())} of ${formatBytes(t)}`
  }
  return (
    <div class="transfer" data-state={state()}>
      <div class="transfer-head">
        <p class="transfer-state" data-testid="transfer-state" aria-live="polite">{transferStateText(downloads.state())}</p>
        <Show when={downloads.active()}>
          <button type="button" class="btn btn-small btn-quiet" data-testid="cancel-button" onClick={() => downloads.cancel()}>Cancel</button>
        </Show>
      </div>
      <div
        class="bar"
        classList={{ 'bar-indeterminate': total() == null && !finished() }}
        data-testid="transfer-progress"
        role="progressbar"
        aria-label="Download progress"
        aria-valuemin={0}
        aria-valuemax={total() ?? bytes()}
        aria-valuenow={bytes()}
        aria-valuetext={sizeText()}
      >
        <div class="bar-fill" style={{ width: `${percent(bytes(), total())}%` }} />
      </div>
      <dl class="transfer-stats">
        <div><dt>Received</dt><dd data-testid="transfer-bytes">{sizeText()}</dd></div>
        <div><dt>Speed</dt><dd data-testid="transfer-speed">{formatSpeed(downloads.progress()?.bytesPerSecond ?? 0)}</dd></div>
        <div><dt>Peers</dt><dd data-testid="transfer-peers">{formatPeers(downloads.progress()?.peers ?? 0)}</dd></div>
      </dl>
    </div>
  )
}
