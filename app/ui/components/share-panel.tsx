import { Show, type JSX } from 'solid-js'
import { useErrors } from '../kernel/error-context.tsx'
import { usePeer } from '../kernel/peer-context.tsx'
import { DropZone } from './drop-zone.tsx'
import { ShareProgressView } from './share-progress.tsx'
import { ShareResultView } from './share-result.tsx'
import { SharerActivity } from './sharer-activity.tsx'

export function SharePanel (): JSX.Element {
  const { shares } = usePeer()
  const errors = useErrors()
  return (
    <section class="card" aria-labelledby="share-heading">
      <h2 id="share-heading">Send</h2>
      <DropZone disabled={shares.busy()} onFiles={(files) => { void shares.share(files) }} onError={(err) => { errors.report(err) }} />
      <Show when={shares.busy() ? shares.progress() : undefined}>
        {progress => <ShareProgressView progress={progress()} />}
      </Show>
      <Show when={shares.result()}>
        {result => <ShareResultView result={result()} />}
      </Show>
      <SharerActivity />
    </section>
  )
}
