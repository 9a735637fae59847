import { onMount, type JSX } from 'solid-js'
import '../styles-sharer.css'

/**
 * An inline confirmation for deleting a library item (no window.confirm: it
 * blocks the page and cannot be styled or tested): a labelled group whose
 * Delete button takes focus; Escape or Keep closes it, and the caller returns
 * focus to the item's own Delete button.
 */
export function ConfirmDelete (props: { name: string, id: string, onConfirm: () => void, onCancel: () => void }): JSX.Element {
  let confirm: HTMLButtonElement | undefined
  onMount(() => { confirm?.focus() })
  return (
    <div
      class="confirm-delete"
      role="group"
      data-testid="confirm-delete-dialog"
      aria-labelledby={`${props.id}-question`}
      onKeyDown={(e) => { if (e.key === 'Escape') { e.preventDefault(); props.onCancel() } }}
    >
      <p id={`${props.id}-question`}>
        Delete <strong>{props.name}</strong> from this browser? It is no longer shared from here, and its data is removed unless another item holds the same blocks.
      </p>
      <div class="transfer-actions">
        <button ref={confirm} type="button" class="btn btn-small btn-danger" data-testid="confirm-delete" onClick={() => props.onConfirm()}>Delete</button>
        <button type="button" class="btn btn-small" data-testid="cancel-delete" onClick={() => props.onCancel()}>Keep</button>
      </div>
    </div>
  )
}
