import { createSignal, onCleanup, type JSX } from 'solid-js'
import { copyText } from '../kernel/clipboard.ts'
import { useErrors } from '../kernel/error-context.tsx'

const COPIED_FEEDBACK_MS = 1500

export function CopyButton (props: { text: string, label: string, testid: string }): JSX.Element {
  const errors = useErrors()
  const [copied, setCopied] = createSignal(false)
  let timer: ReturnType<typeof setTimeout> | undefined
  onCleanup(() => { clearTimeout(timer) })
  const copy = async (): Promise<void> => {
    try {
      await copyText(props.text)
      setCopied(true)
      clearTimeout(timer)
      timer = setTimeout(() => setCopied(false), COPIED_FEEDBACK_MS)
    } catch (err) {
      errors.report(err)
    }
  }
  return (
    <button type="button" class="btn btn-small" data-testid={props.testid} aria-label={props.label} onClick={() => { void copy() }}>
      <span aria-live="polite">{copied() ? 'Copied' : 'Copy'}</span>
    </button>
  )
}
