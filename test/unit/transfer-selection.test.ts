import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { TransferManager } from '../../app/core/transfer/transfers.ts'
import type { RunFilesHooks } from '../../app/core/transfer/run-files.ts'
import type { DownloadResult, TransferFile } from '../../app/core/types.ts'

const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
const file = (path: string, complete: boolean, selected: boolean): TransferFile => ({ path, size: 1, cid: CID, complete, selected })

/** Runs the test finishes by hand, each with the hooks the transfer gave it. */
function manualRuns () {
  const runs: Array<{ hooks: RunFilesHooks | undefined, finish: () => void }> = []
  const run = async (cid: string, signal: AbortSignal, _onProgress: unknown, hooks?: RunFilesHooks): Promise<DownloadResult> => new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => { reject(signal.reason) })
    runs.push({ hooks, finish: () => { resolve({ cid, files: [], totalBytes: 0, blocksFetched: 1, blocksLocal: 0, paths: [], sources: [] }) } })
  })
  return { runs, run }
}

describe('a transfer\'s file selection', () => {
  it('is what the run follows, is shown on the files, and is recorded so a reload keeps it', async () => {
    const { runs, run } = manualRuns()
    const records = new MemoryStore()
    await records.putShare({ cid: CID, files: [], totalBytes: 0, origin: 'downloaded', complete: false, updatedAt: 0 })
    const manager = new TransferManager({ records, run })
    const transfer = manager.start(CID)
    const told: Array<readonly TransferFile[]> = []
    transfer.addEventListener('files', event => { told.push(event.detail) })
    runs[0]?.hooks?.onFiles?.([file('a', false, true), file('b', false, true)])
    expect(transfer.files?.map(f => f.path)).toEqual(['a', 'b'])

    let changes = 0
    runs[0]?.hooks?.selection?.subscribe(() => { changes++ })
    transfer.select(['b'])
    expect(changes).toBe(1)
    expect([...runs[0]?.hooks?.selection?.current() ?? []]).toEqual(['b'])
    expect(told.at(-1)?.map(f => f.selected)).toEqual([false, true])
    await expect.poll(async () => (await records.getShare(CID))?.selection).toEqual(['b'])

    transfer.pause()
    await expect.poll(async () => (await records.getShare(CID))?.paused).toBe(true)
    const reloaded = new TransferManager({ records, run })
    await reloaded.restore()
    expect(reloaded.get(CID)?.selection).toEqual(['b'])
    expect(reloaded.get(CID)?.state).toBe('paused')
  })

  it('a wider pick after the transfer is done runs it again; a narrower one does not', async () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const transfer = manager.start(CID)
    transfer.select(['a'])
    runs[0]?.hooks?.onFiles?.([file('a', true, true), file('b', false, false)])
    runs[0]?.finish()
    await transfer.done()
    expect(transfer.state).toBe('done')
    transfer.select(['a'])
    expect(transfer.state).toBe('done')
    transfer.select(['a', 'b'])
    expect(transfer.state).toBe('running')
    expect(runs).toHaveLength(2)
  })

  it('a file picked while the run was ending is fetched by another run', async () => {
    const { runs, run } = manualRuns()
    const manager = new TransferManager({ records: new MemoryStore(), run })
    const transfer = manager.start(CID)
    transfer.select(['a'])
    runs[0]?.hooks?.onFiles?.([file('a', true, true), file('b', false, false)])
    transfer.select(['a', 'b']) // the run already stopped listening (it had ended its walk)
    runs[0]?.finish()
    await expect.poll(() => runs.length).toBe(2)
    expect(transfer.state).toBe('running')
  })
})
