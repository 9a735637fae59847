import { For, Show, type JSX } from 'solid-js'
import type { PeerPath } from '../../core/network/connection-path.ts'
import type { SourceCount } from '../../core/types.ts'
import { formatBytes, shortPeerId } from '../format.ts'
import { pathText } from '../path-text.ts'
import { peerSources } from '../transfer-view.ts'

/** Who sent this download's blocks in its latest run, how many, and by which path. */
export function TransferSources (props: { sources: readonly SourceCount[] | undefined, paths: readonly PeerPath[] }): JSX.Element {
  const rows = () => peerSources(props.sources, props.paths)
  return (
    <Show when={rows().length > 0}>
      <details class="transfer-sources">
        <summary>Sent by {rows().length === 1 ? '1 peer' : `${rows().length} peers`}</summary>
        <ul data-testid="transfer-sources">
          <For each={rows()}>
            {source => (
              <li
                data-testid="transfer-source"
                data-peer={source.peer}
                data-blocks={source.blocks}
                data-bytes={source.bytes}
                data-route={source.path?.route ?? ''}
              >
                <code class="peer-id" title={source.peer}>{shortPeerId(source.peer)}</code>
                <span>{source.blocks === 1 ? '1 block' : `${source.blocks} blocks`}, {formatBytes(source.bytes)}</span>
                <span class="muted">{source.path != null ? pathText(source.path) : 'path not known yet'}</span>
              </li>
            )}
          </For>
        </ul>
      </details>
    </Show>
  )
}
