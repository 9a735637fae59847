import type { JSX } from 'solid-js'
import type { Boot } from '../kernel/boot.ts'
import { StatusLine } from './status-line.tsx'

/** The status line before the peer exists (its code loading, /bootstrap.json asked for), or failed with Retry. */
export function BootStatusLine (props: { boot: Boot }): JSX.Element {
  const failed = (): boolean => props.boot.phase() === 'failed'
  const text = (): string => {
    if (!failed()) return 'Starting your peer…'
    const err = props.boot.error()
    return err instanceof Error && err.name === 'RelayUnreachableError' ? 'Relay unreachable, retrying' : 'Could not start'
  }
  return (
    <StatusLine
      text={text()}
      tone={failed() ? 'offline' : 'pending'}
      onRetry={failed() ? () => { void props.boot.start() } : undefined}
    />
  )
}
