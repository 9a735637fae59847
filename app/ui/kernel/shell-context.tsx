import { createEffect, createMemo, on, Show, untrack, type Accessor, type JSX } from 'solid-js'
import { parseCidInput } from '../../core/content/parse-cid.ts'
import type { Boot } from './boot.ts'
import { useErrors } from './error-context.tsx'
import { openLink } from './open-link.ts'
import { createPeerValue, PeerProvider, type PeerContextValue } from './peer-context.tsx'
import { createPendingActions, type PendingActions } from './pending-actions.ts'
import type { PickedFile } from './picked-files.ts'
import { createStrictContext } from './strict-context.ts'

/**
 * The page before and after its peer exists. The shell (this context, the
 * drop zone, the link field) renders first, while the peer's code still loads;
 * what the person does meanwhile waits in `pending` and runs once the peer does.
 */
export interface ShellValue {
  boot: Boot
  /** The running peer's stores, once it exists. */
  peer: Accessor<PeerContextValue | undefined>
  pending: PendingActions
  /** Share now, or as soon as the peer runs. */
  share(files: PickedFile[]): void
  /** Open a link or CID now, or its CID as soon as the peer runs (an invalid one is reported at once). */
  open(link: string): void
}

const [ShellContext, useShell] = createStrictContext<ShellValue>('Shell')

export function ShellProvider (props: { boot: Boot, children: JSX.Element }): JSX.Element {
  const errors = useErrors()
  const pending = createPendingActions()
  // one set of stores per peer, owned by this memo (untracked: a store reading a signal must not rebuild them)
  const peer = createMemo(() => {
    const running = props.boot.peer()
    return running == null ? undefined : untrack(() => createPeerValue(running, errors))
  })
  createEffect(on(peer, value => {
    if (value == null) return
    pending.drain({
      share: files => { void value.shares.share(files) },
      open: link => { void openLink(value, link) }
    })
  }))
  const value: ShellValue = {
    // eslint-disable-next-line solid/reactivity
    boot: props.boot,
    peer,
    pending,
    share: files => {
      const running = peer()
      if (running != null) void running.shares.share(files)
      else pending.queueShare(files)
    },
    open: link => {
      const running = peer()
      if (running != null) { void openLink(running, link); return }
      let cid: string
      try {
        cid = parseCidInput(link).toString()
      } catch (err) {
        errors.report(err)
        return
      }
      errors.clear()
      pending.queueLink(cid)
    }
  }
  return <ShellContext.Provider value={value}>{props.children}</ShellContext.Provider>
}

/**
 * Renders its children, with `usePeer()`, once this tab's peer runs; the
 * fallback until then. Every gate shares the shell's one set of stores.
 */
export function PeerGate (props: { fallback?: JSX.Element, children: JSX.Element }): JSX.Element {
  const shell = useShell()
  return (
    <Show when={shell.peer()} keyed fallback={props.fallback}>
      {value => <PeerProvider value={value}>{props.children}</PeerProvider>}
    </Show>
  )
}

export { useShell }
