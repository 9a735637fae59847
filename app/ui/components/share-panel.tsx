import { Show, type JSX } from 'solid-js'
import { useErrors } from '../kernel/error-context.tsx'
import { usePeer } from '../kernel/peer-context.tsx'
import { PeerGate, useShell } from '../kernel/shell-context.tsx'
import { queuedShareText } from '../pending-text.ts'
import { DropZone } from './drop-zone.tsx'
import { ShareProgressView } from './share-progress.tsx'
import { ShareResultView } from './share-result.tsx'
import { SharerActivity } from './sharer-activity.tsx'

/** Send: usable before the peer runs (files picked then are shared as soon as it does). */
export function SharePanel (): JSX.Element {
  const shell = useShell()
  const errors = useErrors()
  const busy = (): boolean => shell.pending.share() != null || shell.peer()?.shares.busy() === true
  return (
    <section class="card" aria-labelledby="share-heading">
      <h2 id="share-heading">Send</h2>
      <DropZone disabled={busy()} onFiles={(files) => { shell.share(files) }} onError={(err) => { errors.report(err) }} />
      <Show when={shell.pending.share()}>
        {files => <p class="muted" data-testid="share-queued" aria-live="polite">{queuedShareText(files())}</p>}
      </Show>
      <PeerGate><ShareOutcome /></PeerGate>
    </section>
  )
}

function ShareOutcome (): JSX.Element {
  const { shares } = usePeer()
  return (
    <>
      <Show when={shares.busy() ? shares.progress() : undefined}>
        {progress => <ShareProgressView progress={progress()} />}
      </Show>
      <Show when={shares.result()}>
        {result => <ShareResultView result={result()} />}
      </Show>
      <SharerActivity />
    </>
  )
}
