import { batch, createSignal, type Accessor } from 'solid-js'
import type { PickedFile } from './picked-files.ts'

/** What the page does with an action once the peer runs. */
export interface ActionTarget {
  share(files: PickedFile[]): void
  open(link: string): void
}

/**
 * Files picked and links entered before this tab's peer exists (its code still
 * loading, or the relay not yet answered): kept in order and handed over once
 * it runs, so nothing the person did in the first moments is lost. One share
 * waits at most (the drop zone is busy while it does, as during an import);
 * links wait each once, in the order given.
 */
export interface PendingActions {
  share: Accessor<PickedFile[] | undefined>
  links: Accessor<string[]>
  queueShare(files: PickedFile[]): void
  queueLink(link: string): void
  /** Hand everything queued to the running peer, shares first (their import starts at once), then links. */
  drain(target: ActionTarget): void
}

export function createPendingActions (): PendingActions {
  const [share, setShare] = createSignal<PickedFile[]>()
  const [links, setLinks] = createSignal<string[]>([])
  return {
    share,
    links,
    queueShare: files => {
      if (files.length > 0 && share() == null) setShare(files)
    },
    queueLink: link => {
      const text = link.trim()
      if (text !== '' && !links().includes(text)) setLinks(list => [...list, text])
    },
    drain: target => {
      const files = share()
      const queued = links()
      batch(() => {
        setShare(undefined)
        setLinks([])
      })
      if (files != null) target.share(files)
      for (const link of queued) target.open(link)
    }
  }
}
