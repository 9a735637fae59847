import type { PickedFile } from './kernel/picked-files.ts'

/** What a share picked before the peer runs says while it waits. */
export function queuedShareText (files: PickedFile[]): string {
  const what = files.length === 1 ? `“${files[0]!.path}”` : `${files.length} items`
  return `Your peer is starting: ${what} will be shared as soon as it is up.`
}

/** What a link entered before the peer runs says while it waits (its CID: a link's origin says nothing here). */
export function queuedLinkText (cid: string): string {
  return `Your peer is starting: ${cid} will download as soon as it is up.`
}
