import { Show, type JSX } from 'solid-js'
import { baseName } from '../../sw/content-disposition.ts'
import { saveUrl } from '../../sw/save-url.ts'
import { saveReady, serviceWorkerSupported } from '../kernel/service-worker.ts'

/**
 * Save = an ordinary link to `/save/<cid>/<path>`, which the service worker
 * answers by streaming the file out of IndexedDB as an attachment. Offered only
 * once the worker controls the page; until then the link would reach the relay.
 */
export function SaveButton (props: { cid: string, path: string }): JSX.Element {
  const name = (): string => baseName(props.path)
  const waiting = (): string => serviceWorkerSupported()
    ? 'Preparing the save helper…'
    : 'This browser cannot save from Chiral (service workers are unavailable here)'
  return (
    <Show
      when={saveReady()}
      fallback={<button type="button" class="btn btn-small" data-testid="save-button" disabled title={waiting()}>Save</button>}
    >
      <a class="btn btn-small btn-primary" data-testid="save-button" href={saveUrl(props.cid, props.path)} download={name()} aria-label={`Save ${name()}`}>
        Save
      </a>
    </Show>
  )
}
