import { createRoot } from 'solid-js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NoProvidersError } from '../../app/core/errors.ts'
import type { DownloadResult } from '../../app/core/types.ts'
import { createErrorStore, type ErrorStore } from '../../app/ui/kernel/error-store.ts'
import { createTransfersStore, type TransfersStore } from '../../app/ui/kernel/transfers-store.ts'
import { FakeTransfers, FakeTransfersPeer } from '../helpers/fake-transfers.ts'

const A = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const B = 'bafkreidtuosuw37f5xmn65b3ksdiikajy7pwjjslzj2lxxz2vc4wdy3zku'
const C = 'bafkreibm6jg3ux5qumhcn2b3flc3tyu6dmlb4xa7u5bf44yegnrjhc4yeq'

interface Harness {
  peer: FakeTransfersPeer
  store: TransfersStore
  errors: ErrorStore
  dispose: () => void
}

const disposers: Array<() => void> = []
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the error store logs what it reports
})
afterEach(() => {
  for (const dispose of disposers.splice(0)) dispose()
  globalThis.chiral = undefined
  vi.restoreAllMocks()
})

function setup (peer = new FakeTransfersPeer()): Harness {
  const errors = createErrorStore()
  return createRoot(dispose => {
    disposers.push(dispose)
    return { peer, store: createTransfersStore(peer, errors), errors, dispose }
  })
}

const row = (store: TransfersStore, cid: string) => store.entries().find(e => e.cid === cid)
const cids = (store: TransfersStore) => store.entries().map(e => e.cid)

describe('transfers store', () => {
  it('adds one row per download, newest first, and runs them side by side', () => {
    const { peer, store } = setup()
    expect(store.start(A)).toBe(A)
    expect(store.start(`https://chiral.example/#/${B}`)).toBe(B)
    expect(cids(store)).toEqual([B, A])
    expect(row(store, A)?.state()).toBe('running')
    expect(row(store, B)?.state()).toBe('running')
    expect(peer.transfers.list().map(t => t.state)).toEqual(['running', 'running'])
  })

  it('a second download never cancels the first', async () => {
    const { peer, store } = setup()
    store.start(A)
    const first = peer.transfers.get(A)!
    first.report({ bytes: 100, totalBytes: 1000 })
    store.start(B)
    expect(first.calls).toEqual({ pause: 0, resume: 0, cancel: 0 })
    expect(row(store, A)?.progress()?.bytes).toBe(100)
    first.finish({ totalBytes: 1000, blocksFetched: 4 })
    expect(row(store, A)?.state()).toBe('done')
    expect(row(store, B)?.state()).toBe('running')
  })

  it('mirrors progress, and sums up a finished run', () => {
    const { peer, store } = setup()
    globalThis.chiral = { peer: {} as never }
    store.start(A)
    const transfer = peer.transfers.get(A)!
    transfer.report({ phase: 'transferring', bytes: 10, totalBytes: 30, peers: 2, bytesPerSecond: 5 })
    expect(row(store, A)?.progress()).toMatchObject({ bytes: 10, totalBytes: 30, peers: 2 })
    const result: Partial<DownloadResult> = {
      totalBytes: 30,
      blocksFetched: 3,
      files: [{ path: 'a.txt', size: 30, cid: A }],
      sources: [{ peer: 'p1', blocks: 2, bytes: 20 }, { peer: 'p2', blocks: 1, bytes: 10 }]
    }
    transfer.finish(result)
    const entry = row(store, A)!
    expect(entry.result()?.files[0]?.path).toBe('a.txt')
    expect(entry.progress()).toMatchObject({ phase: 'done', bytes: 30, totalBytes: 30, peers: 2, sources: result.sources })
    expect(globalThis.chiral?.lastDownload?.cid).toBe(A)
  })

  it('pause, resume and cancel map to the transfer', () => {
    const { peer, store } = setup()
    store.start(A)
    const transfer = peer.transfers.get(A)!
    store.pause(A)
    expect(transfer.calls.pause).toBe(1)
    expect(row(store, A)?.state()).toBe('paused')
    store.resume(A)
    expect(transfer.calls.resume).toBe(1)
    expect(row(store, A)?.state()).toBe('running')
    store.cancel(A)
    expect(transfer.calls.cancel).toBe(1)
    expect(row(store, A)?.state()).toBe('cancelled')
  })

  it('a queued download waits for a slot and starts when one frees', () => {
    const { peer, store } = setup(new FakeTransfersPeer('ready', new FakeTransfers(1)))
    store.start(A)
    store.start(B)
    expect(row(store, B)?.state()).toBe('queued')
    peer.transfers.get(A)!.finish()
    expect(row(store, B)?.state()).toBe('running')
  })

  it('starting a listed CID focuses it, and resumes it when paused', () => {
    const { peer, store } = setup()
    store.start(A)
    store.start(B)
    store.pause(A)
    expect(store.focus()).toBeUndefined() // new rows are not "focused": they just appear
    expect(store.start(A)).toBe(A)
    expect(store.focus()).toBe(A)
    expect(cids(store)).toEqual([B, A]) // no new row
    expect(peer.transfers.get(A)!.state).toBe('running')
    expect(peer.transfers.get(B)!.calls.cancel).toBe(0)
  })

  it('a finished row is not downloaded again; a cancelled one starts afresh in the same row', () => {
    const { peer, store } = setup()
    store.start(A)
    const first = peer.transfers.get(A)!
    first.finish()
    store.start(A)
    expect(peer.transfers.get(A)).toBe(first)
    store.start(B)
    store.cancel(B)
    const cancelled = peer.transfers.get(B)!
    store.start(B)
    const again = peer.transfers.get(B)!
    expect(again).not.toBe(cancelled)
    expect(cids(store)).toEqual([B, A])
    expect(row(store, B)?.state()).toBe('running')
    cancelled.report({ bytes: 999 }) // the old transfer no longer speaks for the row
    expect(row(store, B)?.progress()?.bytes).not.toBe(999)
  })

  it('shows a download a reload restored, paused ones paused, and those started through the API', () => {
    const transfersPeer = new FakeTransfersPeer()
    transfersPeer.transfers.restore(A) // before the store exists
    const { peer, store } = setup(transfersPeer)
    peer.transfers.restore(B, true) // after: the peer became ready
    peer.transfers.start(C) // e.g. peer.download() from the console
    expect(cids(store)).toEqual([C, B, A])
    expect(row(store, A)?.state()).toBe('running')
    expect(row(store, B)?.state()).toBe('paused')
    store.resume(B)
    expect(row(store, B)?.state()).toBe('running')
  })

  it('remove drops the row and the transfer; its stored blocks are the core\'s business', () => {
    const { peer, store } = setup()
    store.start(A)
    store.start(B)
    store.remove(A)
    expect(cids(store)).toEqual([B])
    expect(peer.transfers.get(A)).toBeUndefined()
    peer.transfers.remove(B) // removed elsewhere (the API)
    expect(cids(store)).toEqual([])
  })

  it('an invalid input is reported and adds nothing', () => {
    const { peer, store, errors } = setup()
    expect(store.start('not a cid')).toBeUndefined()
    expect((errors.error() as Error).name).toBe('InvalidCidError')
    expect(store.entries()).toEqual([])
    expect(peer.transfers.list()).toEqual([])
  })

  it('a failure the person asked for reaches the error element; resuming clears it', () => {
    const transfersPeer = new FakeTransfersPeer()
    transfersPeer.transfers.restore(B)
    const { peer, store, errors } = setup(transfersPeer)
    peer.transfers.get(B)!.fail(new NoProvidersError(B as never))
    expect(errors.error()).toBeUndefined() // a restored download failing is shown in its row only
    expect(row(store, B)?.error()?.name).toBe('NoProvidersError')
    store.start(A)
    const err = new NoProvidersError(A as never)
    peer.transfers.get(A)!.fail(err)
    expect(errors.error()).toBe(err)
    expect(row(store, A)?.state()).toBe('failed')
    store.resume(A)
    expect(errors.error()).toBeUndefined()
    expect(row(store, A)?.state()).toBe('running')
  })

  it('during start-up a download waits for the relay, and cancelling it then asks nothing', async () => {
    const { peer, store } = setup(new FakeTransfersPeer('connecting'))
    store.start(A)
    store.start(B)
    expect(row(store, A)?.state()).toBe('waiting')
    expect(peer.transfers.list()).toEqual([])
    store.cancel(B)
    expect(row(store, B)?.state()).toBe('cancelled')
    peer.setStatus('ready')
    await Promise.resolve()
    await Promise.resolve()
    expect(peer.transfers.list().map(t => t.cid)).toEqual([A])
    expect(row(store, A)?.state()).toBe('running')
  })

  it('stops listening when its owner is disposed', () => {
    const { peer, store, dispose } = setup()
    dispose()
    peer.transfers.start(A)
    expect(store.entries()).toEqual([])
  })

  it('a resumed run\'s average speed counts only what peers sent, not the stored bytes its walk found', () => {
    let now = 1_000
    vi.spyOn(performance, 'now').mockImplementation(() => now)
    const { peer, store } = setup()
    store.start(A)
    const transfer = peer.transfers.get(A)!
    store.pause(A)
    store.resume(A)
    // 600 of 1000 bytes were stored before; the first peer data arrives, then the walk finds the stored rest
    transfer.report({ phase: 'transferring', bytes: 100, totalBytes: 1000, sources: [{ peer: 'p', blocks: 1, bytes: 100 }] })
    now += 1_000
    transfer.report({ phase: 'transferring', bytes: 800, totalBytes: 1000, sources: [{ peer: 'p', blocks: 2, bytes: 200 }] })
    now += 1_000
    transfer.finish({ totalBytes: 1000, blocksFetched: 4, sources: [{ peer: 'p', blocks: 4, bytes: 400 }] })
    expect(row(store, A)?.progress()?.bytesPerSecond).toBe(150) // (400 - 100) bytes in 2 s, not (1000 - 100) / 2
  })

  it('keeps the run\'s speeds for the graph, ends them at 0 when it fails, and starts afresh when resumed', () => {
    const { peer, store } = setup()
    store.start(A)
    const transfer = peer.transfers.get(A)!
    transfer.report({ bytesPerSecond: 2_000_000 })
    expect(row(store, A)?.speeds()).toEqual([2_000_000])
    transfer.fail(new NoProvidersError(A))
    expect(row(store, A)?.speeds()).toEqual([2_000_000, 0])
    store.resume(A)
    expect(row(store, A)?.speeds()).toEqual([])
  })
})
