import type { ChiralPage, TestFile } from '../test/e2e/chiral-page.ts'
import { armFirstBlock, waitForDone, waitForFirstBlock } from './first-block-probe.ts'
import { readMarks } from './page-marks.ts'

export interface ConnectedDownload {
  /** Download pressed → first verified data block delivered (peer progress event), page clock. */
  firstBlockMs: number
  /** Download pressed → the transfer added (UI: own-library check, CID parse). */
  addedMs: number
  /** Download pressed → phase 'done'. */
  doneMs: number
  /** The receiver held an open, direct (unlimited) connection to the sender when Download was pressed. */
  connectedBefore: boolean
  verified: boolean
}

export interface ConnectedDownloadOptions {
  sender: ChiralPage
  receiver: ChiralPage
  /** A fresh file (new random bytes, so a new CID nobody holds yet). */
  file: TestFile
  timeoutMs: number
}

/**
 * The first-block latency when a provider is already connected: after the main
 * download the receiver still holds its direct WebRTC connection to the sender.
 * The sender shares a fresh small file through the UI, the receiver downloads
 * it through the UI, and the time is taken from the public Peer API in the
 * page (first-block-probe.ts), not from the re-rendered progress bar.
 */
export async function downloadWhileConnected (opts: ConnectedDownloadOptions): Promise<ConnectedDownload> {
  const { sender, receiver, file } = opts
  const cid = await sender.share(file)
  const senderId = await sender.peerId()
  const connectedBefore = (await receiver.connectionsTo(senderId)).some(c => c.direct && !c.limited && c.status === 'open')
  await armFirstBlock(receiver.page, cid)
  await receiver.startDownload(cid)
  const first = await waitForFirstBlock(receiver.page, cid, opts.timeoutMs)
  const done = await waitForDone(receiver.page, cid, opts.timeoutMs)
  const pressed = (await readMarks(receiver.page)).downloadPressed
  if (pressed == null || first.firstBytes == null || done.done == null) throw new Error(`connected download marks missing: ${JSON.stringify({ pressed, first })}`)
  const saved = await receiver.save(0, cid)
  if (saved.sha256 !== file.sha256) throw new Error(`the connected download differs from the source (sha256 ${saved.sha256} ≠ ${file.sha256})`)
  return { firstBlockMs: first.firstBytes - pressed, addedMs: (first.added ?? NaN) - pressed, doneMs: done.done - pressed, connectedBefore, verified: true }
}
