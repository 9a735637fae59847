import { For, Show, type JSX } from 'solid-js'
import type { PeerPath } from '../../core/network/connection-path.ts'
import { formatBytes, formatPeers, formatSpeed, percent, shortPeerId } from '../format.ts'
import type { TransferEntry } from '../kernel/transfer-entry.ts'
import { pathsText } from '../path-text.ts'
import { peerSources } from '../transfer-view.ts'
import { SpeedGraph } from './speed-graph.tsx'
import { TransferSources } from './transfer-sources.tsx'

/** Bar, bytes, speed, peers and data paths of one download. */
export function TransferProgress (props: { entry: TransferEntry, name: string }): JSX.Element {
  const progress = () => props.entry.progress()
  const state = () => props.entry.state()
  const bytes = (): number => progress()?.bytes ?? 0
  const total = (): number | undefined => progress()?.totalBytes
  const moving = (): boolean => state() === 'running' || state() === 'waiting'
  // speed and peers are of now: a paused or failed row shows none; a finished one its run's summary
  const live = (): boolean => state() === 'running' || state() === 'done'
  // the finished download's paths are read again at the end (ICE may switch pairs)
  const paths = (): PeerPath[] => props.entry.result()?.paths ?? progress()?.paths ?? []
  // who sends now (or sent the finished run), each marked direct or via TURN
  const livePeers = () => peerSources(props.entry.result()?.sources ?? progress()?.sources, paths())
  const sizeText = (): string => {
    const t = total()
    return t == null ? `${formatBytes(bytes())} of unknown size` : `${formatBytes(bytes())} of ${formatBytes(t)}`
  }
  return (
    <>
      <div
        class="bar"
        classList={{ 'bar-indeterminate': total() == null && moving() }}
        data-testid="transfer-progress"
        role="progressbar"
        aria-label={`Download progress of ${props.name}`}
        aria-valuemin={0}
        aria-valuemax={total() ?? bytes()}
        aria-valuenow={bytes()}
        aria-valuetext={sizeText()}
      >
        <div class="bar-fill" style={{ '--fill': String(percent(bytes(), total()) / 100) }} />
      </div>
      <dl class="transfer-stats">
        <div><dt>Received</dt><dd data-testid="transfer-bytes">{sizeText()}</dd></div>
        <div><dt>Speed</dt><dd data-testid="transfer-speed">{formatSpeed(live() ? progress()?.bytesPerSecond ?? 0 : 0)}</dd></div>
        <div><dt>Peers</dt><dd data-testid="transfer-peers">{formatPeers(live() ? progress()?.peers ?? 0 : 0)}</dd></div>
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
      <Show when={props.entry.speeds().length > 0 || (live() && livePeers().length > 0)}>
        <div class="transfer-live">
          <SpeedGraph speeds={props.entry.speeds()} name={props.name} />
          <Show when={live() && livePeers().length > 0}>
            <ul class="transfer-peer-list" aria-label={`Peers sending ${props.name}`}>
              <For each={livePeers()}>
                {source => (
                  <li data-testid="transfer-peer" data-peer={source.peer} data-route={source.path?.route ?? ''}>
                    <code class="peer-id" title={source.peer}>{shortPeerId(source.peer)}</code>{' '}
                    <span class="route-badge">{source.path == null ? 'path not known yet' : source.path.route === 'turn' ? 'via TURN' : 'direct'}</span>
                  </li>
                )}
              </For>
            </ul>
          </Show>
        </div>
      </Show>
      <TransferSources sources={progress()?.sources} paths={paths()} />
    </>
  )
}
