import { createSignal, onCleanup, onMount, type JSX } from 'solid-js'
import { droppedEntries, pickedFiles, readDropped, type PickedFile } from '../kernel/picked-files.ts'

/**
 * Drop files or folders, or activate (click, Enter, Space) to pick files;
 * "Choose a folder" picks a whole folder. Both inputs stay in the DOM
 * (visually hidden) for pickers and tests: `file-input`, `folder-input`.
 */
export function DropZone (props: { disabled?: boolean, onFiles: (files: PickedFile[]) => void, onError: (err: unknown) => void }): JSX.Element {
  let input: HTMLInputElement | undefined
  let folderInput: HTMLInputElement | undefined
  const [depth, setDepth] = createSignal(0)

  const give = (files: PickedFile[]): void => {
    if (files.length > 0 && props.disabled !== true) props.onFiles(files)
  }
  const take = (list: FileList | null | undefined): void => {
    try {
      give(pickedFiles(list))
    } catch (err) {
      props.onError(err)
    }
  }
  // folders come as entries, read while the drop event still holds them; files alone as a list
  const drop = (data: DataTransfer | null): void => {
    const entries = droppedEntries(data)
    if (entries == null) { take(data?.files); return }
    readDropped(entries).then(give, props.onError)
  }
  const pick = (): void => { if (props.disabled !== true) input?.click() }
  const pickFolder = (): void => { if (props.disabled !== true) folderInput?.click() }
  onMount(() => { if (folderInput != null) folderInput.webkitdirectory = true })
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
          drop(e.dataTransfer)
        }}
      >
        <svg class="drop-icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M12 16V4m0 0-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <span class="drop-title">Drop files or a folder here</span>
        <span class="drop-hint">or <span class="link-like">choose files</span> — one or many</span>
      </div>
      <button type="button" class="btn btn-small folder-button" data-testid="folder-button" disabled={props.disabled === true} onClick={pickFolder}>
        Choose a folder
      </button>
      <HiddenPicker ref={el => { folderInput = el }} label="Choose a folder to share" testid="folder-input" onFiles={take} />
      <HiddenPicker ref={el => { input = el }} label="Choose files to share" testid="file-input" multiple onFiles={take} />
    </>
  )
}

/** A file input kept in the DOM but not shown (a button or the zone opens it); emptied after each pick so the same files can be picked again. */
function HiddenPicker (props: { ref: (el: HTMLInputElement) => void, label: string, testid: string, multiple?: boolean, onFiles: (files: FileList | null) => void }): JSX.Element {
  return (
    <input
      ref={props.ref}
      class="visually-hidden"
      type="file"
      multiple={props.multiple}
      tabIndex={-1}
      aria-label={props.label}
      data-testid={props.testid}
      onChange={(e) => {
        props.onFiles(e.currentTarget.files)
        e.currentTarget.value = ''
      }}
    />
  )
}
