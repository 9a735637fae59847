import { Show, type JSX } from 'solid-js'
import type { Boot } from '../kernel/boot.ts'

/** Shown in place of Send/Receive until this tab's peer exists. */
export function StartupCard (props: { boot: Boot }): JSX.Element {
  return (
    <section class="card startup" aria-busy={props.boot.phase() !== 'failed'}>
      <Show
        when={props.boot.phase() === 'failed'}
        fallback={<><div class="spinner" aria-hidden="true" /><p>Starting your peer…</p></>}
      >
        <p>Chiral needs the relay to find other browsers, and keeps trying to reach it by itself. Files you already have stay in this browser.</p>
      </Show>
    </section>
  )
}
