import { createSignal, createUniqueId, Show, type JSX } from 'solid-js'
import { baseName } from '../../sw/content-disposition.ts'
import { mediaKind } from '../../sw/media-type.ts'
import { saveReady } from '../kernel/service-worker.ts'
import { MediaPlayer } from './media-player.tsx'

/**
 * "Open" for a file the page can show (video, audio, image, PDF, text): the
 * media player opens under it and streams from the service worker, also
 * while the share downloads. Nothing for other files, or before the service
 * worker controls the page (the URL would reach the server instead).
 */
export function OpenFileButton (props: { cid: string, path: string }): JSX.Element {
  const [open, setOpen] = createSignal(false)
  const id = `media-${createUniqueId()}`
  return (
    <Show when={saveReady() && mediaKind(props.path) != null}>
      <button
        type="button"
        class="btn btn-small"
        data-testid="open-file"
        aria-expanded={open()}
        aria-controls={id}
        aria-label={`${open() ? 'Close' : 'Open'} ${baseName(props.path)}`}
        onClick={() => setOpen(o => !o)}
      >
        {open() ? 'Close' : 'Open'}
      </button>
      <Show when={open()}>
        <div class="media-slot" id={id}>
          <MediaPlayer cid={props.cid} path={props.path} />
        </div>
      </Show>
    </Show>
  )
}
