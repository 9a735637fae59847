import { Show, type JSX } from 'solid-js'
import { baseName } from '../../sw/content-disposition.ts'
import { saveUrl } from '../../sw/save-url.ts'
import { useErrors } from '../kernel/error-context.tsx'
import { createSaveAction } from '../kernel/save-action.ts'
import { saveFile } from '../kernel/save-file.ts'
import { saveReady, serviceWorkerSupported } from '../kernel/service-worker.ts'

/**
 * Save one stored file as an ordinary browser download, streamed by the
 * service worker from `/save/<cid>/<path>`. Offered only once the worker
 * controls the page; before that the URL would reach the relay instead.
 */
export function SaveButton (props: { cid: string, path: string, testid?: string, complete?: boolean }): JSX.Element {
  const testid = (): string => props.testid ?? 'save-button'
  const { busy, run: save } = createSaveAction(useErrors(), async () => saveFile(props.cid, props.path))
  const name = (): string => baseName(props.path)
  const waiting = (): string => props.complete === false ? 'Not downloaded yet' : serviceWorkerSupported()
    ? 'Preparing the save helper…'
    : 'This browser cannot save from Chiral (service workers are unavailable here)'
  return (
    <Show
      when={saveReady() && props.complete !== false}
      fallback={<button type="button" class="btn btn-small" data-testid={testid()} disabled title={waiting()} aria-label={`Save ${name()}`}>Save</button>}
    >
      <a
        class="btn btn-small btn-primary"
        data-testid={testid()}
        href={saveUrl(props.cid, props.path)}
        aria-label={`Save ${name()}`}
        aria-busy={busy()}
        onClick={(e) => { e.preventDefault(); void save() }}
      >
        Save
      </a>
    </Show>
  )
}
