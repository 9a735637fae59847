import { Show, type JSX } from 'solid-js'
import type { Boot } from '../kernel/boot.ts'

/** Shown where the library goes until this tab's peer exists (Send and Receive already take input). */
export function StartupCard (props: { boot: Boot }): JSX.Element {
  return (
    <section class="card startup" aria-busy={props.boot.phase() !== 'failed'}>
      <Show
        when={props.boot.phase() === 'failed'}
        fallback={<><div class="spinner" aria-hidden="true" /><p>Starting your peer… Files and links you give it meanwhile wait for it, and your library shows once it is up.</p></>}
      >
        <p>Chiral needs the relay to find other browsers, and keeps trying to reach it by itself. Files you already have stay in this browser.</p>
      </Show>
    </section>
  )
}
