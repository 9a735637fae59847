import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { createDownloadRunner } from '../../app/core/transfer/download-runner.ts'
import { Swarm } from '../../app/core/transfer/swarm.ts'
import type { ShareRecordStore } from '../../app/core/storage/block-store.ts'
import type { Libp2p } from '@libp2p/interface'

/**
 * The download runner's start: the provider search must not wait for the
 * download's record to be written (IndexedDB), and a record that cannot be
 * written still stops the download with its error.
 */

const root = CID.createV1(raw.code, await sha256.digest(new Uint8Array([7, 7, 7]))).toString()

/** A Libp2p stand-in with nobody connected and a DHT query that runs until aborted. */
async function quietNet (): Promise<{ libp2p: Libp2p, searching: Promise<void> }> {
  let started!: () => void
  const searching = new Promise<void>(resolve => { started = resolve })
  const libp2p = {
    peerId: peerIdFromPrivateKey(await generateKeyPair('Ed25519')),
    getConnections: () => [],
    contentRouting: {
      findProviders: async function * (_cid: CID, options: { signal?: AbortSignal }) {
        started()
        await new Promise<void>(resolve => { options.signal?.addEventListener('abort', () => { resolve() }, { once: true }) })
        yield * []
      }
    }
  }
  return { libp2p: libp2p as unknown as Libp2p, searching }
}

/** Share records whose reads wait for `release` (a slow IndexedDB), or fail with `failWith`. */
function slowRecords (inner: MemoryStore, failWith?: Error): ShareRecordStore & { release(): void } {
  let release!: () => void
  const released = new Promise<void>(resolve => { release = resolve })
  return {
    release,
    getShare: async (cid, options) => {
      await released
      if (failWith != null) throw failWith
      options?.signal?.throwIfAborted()
      return inner.getShare(cid)
    },
    putShare: async record => inner.putShare(record),
    listShares: async () => inner.listShares(),
    deleteShare: async cid => inner.deleteShare(cid)
  }
}

function runner (libp2p: Libp2p, store: MemoryStore, records: ShareRecordStore): ReturnType<typeof createDownloadRunner> {
  return createDownloadRunner({
    libp2p,
    store,
    records,
    swarm: new Swarm({ store, maxWindow: 8 }),
    isRelay: () => false,
    turnConfigured: () => false,
    relayReachable: () => true,
    announce: () => {}
  })
}

describe('download runner start', () => {
  it('looks for providers while the download is still being recorded, and records it', async () => {
    const store = new MemoryStore()
    const records = slowRecords(store)
    const { libp2p, searching } = await quietNet()
    const controller = new AbortController()
    const run = runner(libp2p, store, records)(root, controller.signal, () => {})
    run.catch(() => {})
    await searching // the record's read has not even answered yet
    expect(await store.getShare(root)).toBeUndefined()
    records.release()
    await expect.poll(async () => (await store.getShare(root))?.complete).toBe(false) // recorded, so a reload resumes it
    controller.abort(new Error('paused'))
    await expect(run).rejects.toThrow('paused')
  })

  it('a record that cannot be written stops the download with that error', async () => {
    const store = new MemoryStore()
    const records = slowRecords(store, Object.assign(new Error('the disk is full'), { name: 'QuotaExceededError' }))
    const { libp2p, searching } = await quietNet()
    const run = runner(libp2p, store, records)(root, new AbortController().signal, () => {})
    run.catch(() => {})
    await searching
    records.release()
    await expect(run).rejects.toMatchObject({ name: 'QuotaExceededError' })
  })
})
