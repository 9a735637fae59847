import { Show, type JSX } from 'solid-js'
import { formatBytes, formatPeers, formatSpeed, percent, transferStateText } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { pathsText } from '../path-text.ts'

/** State, bar, bytes, speed, peers and data path of the current download. */
export function TransferProgress (): JSX.Element {
  const { downloads } = usePeer()
  const bytes = (): number => downloads.progress()?.bytes ?? 0
  const total = (): number | undefined => downloads.progress()?.totalBytes
  const state = (): string => downloads.state()
  const finished = (): boolean => ['complete', 'failed', 'cancelled'].includes(state())
  // the finished download's paths are read again at the end (ICE may switch pairs)
  const paths = () => downloads.result()?.paths ?? downloads.progress()?.paths ?? []
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
        <Show when={paths().length > 0}>
          <div>
            <dt>Path</dt>
            <dd
              data-testid="transfer-path"
              data-route={paths().map(p => p.route).join(' ')}
              data-candidates={paths().map(p => `${p.local}/${p.remote}`).join(' ')}
              data-relay-protocol={paths().map(p => p.relayProtocol ?? '').join(' ').trim()}
              title="How the data travels: direct from browser to browser, or through the relay operator's TURN server when no direct path exists. The file is end-to-end encrypted (DTLS) either way."
            >
              {pathsText(paths())}
            </dd>
          </div>
        </Show>
      </dl>
    </div>
  )
}
