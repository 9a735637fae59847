import { createSignal, onCleanup, onMount, type JSX } from 'solid-js'

/**
 * Drop one or many files, or activate (click, Enter, Space) to pick them.
 * The `file-input` stays in the DOM (visually hidden) for pickers and tests.
 */
export function DropZone (props: { disabled?: boolean, onFiles: (files: File[]) => void }): JSX.Element {
  let input: HTMLInputElement | undefined
  const [depth, setDepth] = createSignal(0)

  const take = (list: FileList | null | undefined): void => {
    const files = list != null ? [...list] : []
    if (files.length > 0 && props.disabled !== true) props.onFiles(files)
  }
  const pick = (): void => { if (props.disabled !== true) input?.click() }
  const hasFiles = (e: DragEvent): boolean => e.dataTransfer?.types.includes('Files') === true

  // a file dropped beside the zone must not make the browser navigate away to it
  onMount(() => {
    const swallow = (e: DragEvent): void => { if (hasFiles(e)) e.preventDefault() }
    window.addEventListener('dragover', swallow)
    window.addEventListener('drop', swallow)
    onCleanup(() => {
      window.removeEventListener('dragover', swallow)
      window.removeEventListener('drop', swallow)
    })
  })

  return (
    <>
      <div
        class="drop-zone"
        classList={{ 'drop-zone-over': depth() > 0, 'drop-zone-disabled': props.disabled === true }}
        data-testid="drop-zone"
        role="button"
        tabIndex={0}
        aria-disabled={props.disabled === true}
        onClick={pick}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick() }
        }}
        onDragEnter={(e) => { if (hasFiles(e)) { e.preventDefault(); setDepth(d => d + 1) } }}
        onDragOver={(e) => {
          if (!hasFiles(e)) return
          e.preventDefault()
          if (e.dataTransfer != null) e.dataTransfer.dropEffect = props.disabled === true ? 'none' : 'copy'
        }}
        onDragLeave={() => setDepth(d => Math.max(0, d - 1))}
        onDrop={(e) => {
          e.preventDefault()
          setDepth(0)
          take(e.dataTransfer?.files)
        }}
      >
        <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <span class="drop-title">Drop files here</span>
        <span class="drop-hint">or <span class="link-like">choose files</span> — one or many</span>
      </div>
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        multiple
        tabIndex={-1}
        aria-label="Choose files to share"
        data-testid="file-input"
        onChange={(e) => {
          take(e.currentTarget.files)
          e.currentTarget.value = ''
        }}
      />
    </>
  )
}
