import { createSignal, For, Show, type JSX } from 'solid-js'
import type { NetworkCheck } from '../../core/network/ice-check.ts'
import { errorText } from '../error-text.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { networkItems, networkVerdict } from '../network-text.ts'

/**
 * "Check my network": gathers ICE candidates with the relay's STUN/TURN servers
 * and says whom this browser can reach. On demand only: each check takes a TURN
 * allocation and counts against this address's TURN credential rate.
 */
export function NetworkCheckPanel (): JSX.Element {
  const { peer } = usePeer()
  const [running, setRunning] = createSignal(false)
  const [result, setResult] = createSignal<NetworkCheck>()
  const [failure, setFailure] = createSignal<string>()

  const run = async (): Promise<void> => {
    setRunning(true)
    setFailure(undefined)
    try {
      setResult(await peer.checkNetwork())
    } catch (err) {
      setFailure(errorText(err))
    } finally {
      setRunning(false)
    }
  }

  return (
    <section class="network-check" aria-labelledby="network-heading">
      <div class="network-check-head">
        <h2 id="network-heading" class="small-heading">Your network</h2>
        <button type="button" class="btn btn-small btn-quiet" data-testid="network-check" disabled={running()} onClick={() => { void run() }}>
          {running() ? 'Checking…' : 'Check my network'}
        </button>
      </div>
      <Show when={failure()}>{text => <p class="muted">{text()}</p>}</Show>
      <Show when={result()}>
        {check => (
          <div data-testid="network-check-result" data-srflx={String(check().srflx)} data-relay={Object.entries(check().relay).filter(([, ok]) => ok).map(([t]) => t).join(' ')}>
            <p>{networkVerdict(check())}</p>
            <ul class="network-items">
              <For each={networkItems(check())}>
                {item => (
                  <li data-testid={`network-${item.key}`} data-ok={String(item.ok)}>
                    <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> {item.label}
                    <Show when={item.detail}>{detail => <span class="muted"> — {detail()}</span>}</Show>
                  </li>
                )}
              </For>
            </ul>
          </div>
        )}
      </Show>
    </section>
  )
}
