import { For, Show, type JSX } from 'solid-js'
import { formatBytes, shortPeerId } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { libraryItemName } from '../library-text.ts'
import { shortCid } from '../transfer-view.ts'
import { servedTotalText, uploadPercentText, uploadRouteText, uploadSentence } from '../upload-text.ts'
import '../styles-sharer.css'

/** Who is downloading this browser's shares right now, how far each got, and what was sent in all. */
export function SharerActivity (): JSX.Element {
  const { uploads, library } = usePeer()
  const nameOf = (cid: string): string => {
    const item = library.items().find(i => i.cid === cid)
    return item != null ? libraryItemName(item) : shortCid(cid)
  }
  // shown once there is something to share or something was sent
  const visible = (): boolean => uploads().blocksServed > 0 || library.items().some(i => i.state === 'sharing')
  return (
    <Show when={visible()}>
      <section class="sharer-activity" data-testid="sharer-activity" aria-labelledby="sharer-activity-heading" data-bytes-served={uploads().bytesServed}>
        <h3 id="sharer-activity-heading" class="small-heading">Downloading from you</h3>
        <Show when={uploads().downloads.length > 0} fallback={<p class="muted">Nobody is downloading your shares right now.</p>}>
          <ul class="upload-list" aria-labelledby="sharer-activity-heading">
            <For each={uploads().downloads}>
              {entry => (
                <li
                  class="upload"
                  data-testid="upload"
                  data-peer={entry.peer}
                  data-cid={entry.cid}
                  data-bytes={entry.bytes}
                  data-fraction={entry.fraction ?? ''}
                  data-route={entry.route ?? ''}
                >
                  <div class="upload-line">
                    <span class="transfer-name">{nameOf(entry.cid)}</span>
                    <code class="peer-id" title={entry.peer}>{shortPeerId(entry.peer)}</code>
                  </div>
                  <div
                    class="bar"
                    role="progressbar"
                    aria-label={`Sent to peer ${shortPeerId(entry.peer)}: ${nameOf(entry.cid)}`}
                    aria-valuemin={0}
                    aria-valuemax={100}
                    aria-valuenow={Math.floor((entry.fraction ?? 0) * 100)}
                    aria-valuetext={uploadSentence(entry, nameOf(entry.cid))}
                  >
                    <div class="bar-fill" style={{ '--fill': String(entry.fraction ?? 0) }} />
                  </div>
                  <p class="muted upload-stats">
                    {formatBytes(entry.bytes)}{uploadPercentText(entry) === '' ? '' : ` · ${uploadPercentText(entry)}`} · <span data-testid="upload-route">{uploadRouteText(entry)}</span>
                  </p>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <p class="muted" data-testid="bytes-served" data-bytes={uploads().bytesServed}>{servedTotalText(uploads().bytesServed)}</p>
      </section>
    </Show>
  )
}
