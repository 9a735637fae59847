import 'fake-indexeddb/auto'
import { createRoot } from 'solid-js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { importShare } from '../../app/core/content/import-share.ts'
import { PeerLibrary } from '../../app/core/library/library.ts'
import { SweepWitness } from '../../app/core/library/sweep-witness.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { TransferManager } from '../../app/core/transfer/transfers.ts'
import { createErrorStore } from '../../app/ui/kernel/error-store.ts'
import { createLibraryStore, type LibraryStore } from '../../app/ui/kernel/library-store.ts'
import { libraryItemName, storageText } from '../../app/ui/library-text.ts'
import { patternBytes } from '../helpers/bytes.ts'

const disposers: Array<() => void> = []
beforeEach(() => { vi.spyOn(console, 'warn').mockImplementation(() => {}) })
afterEach(() => { for (const dispose of disposers.splice(0)) dispose(); vi.restoreAllMocks() })

function setup () {
  const store = new MemoryStore()
  const transfers = new TransferManager({ records: store, run: async (_cid, signal) => new Promise((_resolve, reject) => { signal.addEventListener('abort', () => { reject(signal.reason) }) }) })
  const library = new PeerLibrary({ records: store, store, witness: new SweepWitness(), transfers, announce: async () => {}, online: () => true })
  const errors = createErrorStore()
  const estimate = vi.fn(async () => ({ usage: 1_000, quota: 100_000 }))
  const ui = createRoot(dispose => { disposers.push(dispose); return createLibraryStore({ library }, errors, { estimate }) })
  const share = async (name: string, seed: number): Promise<string> => {
    const result = await importShare([{ name, content: new Blob([patternBytes(1000, seed)]) }], store)
    await store.putShare({ cid: result.cid, files: result.files, totalBytes: result.totalBytes, origin: 'shared', complete: true, updatedAt: Date.now() })
    library.changed(result.cid)
    return result.cid
  }
  return { ui, share, errors }
}

async function until (ui: LibraryStore, check: (ui: LibraryStore) => boolean): Promise<void> {
  await vi.waitFor(() => { if (!check(ui)) throw new Error('not yet') })
}

describe('ui library store', () => {
  it('follows the library\'s changes and the storage estimate; every action refreshes the list', async () => {
    const { ui, share } = setup()
    const a = await share('a.bin', 1)
    await until(ui, u => u.items().length === 1)
    expect(ui.storage()).toEqual({ usage: 1_000, quota: 100_000 })
    await ui.stopSharing(a)
    expect(ui.items()[0]?.state).toBe('stopped')
    await ui.shareAgain(a)
    expect(ui.items()[0]?.state).toBe('sharing')
    const b = await share('b.bin', 2)
    await until(ui, u => u.items().length === 2)
    await ui.delete(a)
    expect(ui.items().map(i => i.cid)).toEqual([b])
  })

  it('a failure goes to the error store by name', async () => {
    const { ui, errors } = setup()
    await ui.stopSharing('bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy')
    expect(errors.error()).toHaveProperty('name', 'NotInLibraryError')
  })

  it('words: names and storage', () => {
    expect(libraryItemName({ cid: 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', names: [] })).toBe('bafybeig…5fbzdi')
    expect(libraryItemName({ cid: 'x', names: ['a', 'b', 'c'] })).toBe('a and 2 more')
    expect(libraryItemName({ cid: 'x', names: ['album/a', 'album/b/c'] })).toBe('album (2 files)')
    expect(storageText(250_000_000, 1_000_000_000)).toBe('250 MB of 1.00 GB used (25 %)')
  })
})
