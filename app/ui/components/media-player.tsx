import { Match, Switch, type JSX } from 'solid-js'
import { baseName } from '../../sw/content-disposition.ts'
import { mediaKind } from '../../sw/media-type.ts'
import { mediaUrl } from '../../sw/save-url.ts'

/**
 * One file of a share shown in the page: video, audio, image, PDF or text,
 * streamed by the service worker from `/media/<cid>/<path>` with HTTP Range,
 * so it plays (and seeks) while the share is still downloading: the bytes the
 * player asks for are fetched before the rest.
 */
export function MediaPlayer (props: { cid: string, path: string, onClose?: () => void }): JSX.Element {
  const url = (): string => mediaUrl(props.cid, props.path)
  const name = (): string => baseName(props.path)
  return (
    <figure class="media-player" data-testid="media-player" data-kind={mediaKind(props.path) ?? 'none'} data-path={props.path}>
      <Switch fallback={<p class="muted">This kind of file cannot be shown here; save it instead.</p>}>
        <Match when={mediaKind(props.path) === 'video'}>
          <video class="media-view" data-testid="media-element" src={url()} controls preload="metadata" aria-label={name()} />
        </Match>
        <Match when={mediaKind(props.path) === 'audio'}>
          <audio class="media-view" data-testid="media-element" src={url()} controls preload="metadata" aria-label={name()} />
        </Match>
        <Match when={mediaKind(props.path) === 'image'}>
          <img class="media-view" data-testid="media-element" src={url()} alt={name()} />
        </Match>
        <Match when={mediaKind(props.path) === 'pdf' || mediaKind(props.path) === 'text'}>
          <iframe class="media-view media-document" data-testid="media-element" src={url()} title={name()} />
        </Match>
      </Switch>
      <figcaption class="media-caption">
        <span class="file-name" title={props.path}>{name()}</span>
        {props.onClose != null && (
          <button type="button" class="btn btn-small" data-testid="close-media" onClick={() => props.onClose?.()} aria-label={`Close ${name()}`}>Close</button>
        )}
      </figcaption>
    </figure>
  )
}
