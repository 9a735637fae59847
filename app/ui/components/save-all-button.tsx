import { Show, type JSX } from 'solid-js'
import { zipUrl } from '../../sw/zip-url.ts'
import { useErrors } from '../kernel/error-context.tsx'
import { createSaveAction } from '../kernel/save-action.ts'
import { saveFromWorker } from '../kernel/save-file.ts'
import { saveReady } from '../kernel/service-worker.ts'

/**
 * The whole share (or the picked files) as one .zip, streamed by the service
 * worker from the stored blocks; offered once those files are all here.
 */
export function SaveAllButton (props: { cid: string, name: string, ready: boolean, some: boolean }): JSX.Element {
  const { busy, run: save } = createSaveAction(useErrors(), async () => saveFromWorker(zipUrl(props.cid, props.name)))
  const label = (): string => props.some ? 'Save picked files as .zip' : 'Save all as .zip'
  return (
    <Show
      when={saveReady() && props.ready}
      fallback={<button type="button" class="btn btn-small" data-testid="save-all" disabled title="Not downloaded yet">{label()}</button>}
    >
      <a
        class="btn btn-small"
        data-testid="save-all"
        href={zipUrl(props.cid, props.name)}
        aria-busy={busy()}
        onClick={(e) => { e.preventDefault(); void save() }}
      >
        {label()}
      </a>
    </Show>
  )
}
