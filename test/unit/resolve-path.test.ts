import { importer } from 'ipfs-unixfs-importer'
import { describe, expect, it } from 'vitest'
import { KUBO_CIDV1_OPTIONS } from '../../app/core/content/import-share.ts'
import { listFiles, resolveFile } from '../../app/core/content/read-file.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import type { CID } from 'multiformats/cid'

async function share (paths: string[], shardSplitThresholdBytes?: number): Promise<{ store: MemoryStore, root: CID }> {
  const store = new MemoryStore()
  const blockstore = { put: async (cid: CID, bytes: Uint8Array) => { await store.put(cid, bytes); return cid } }
  let root: CID | undefined
  const sources = paths.map(path => ({ path, content: [new TextEncoder().encode(`content of ${path}`)] }))
  for await (const entry of importer(sources, blockstore, { ...KUBO_CIDV1_OPTIONS, ...(shardSplitThresholdBytes != null ? { shardSplitThresholdBytes } : {}) })) {
    if (entry.path === '') root = entry.cid
  }
  return { store, root: root as CID }
}

function counting (store: MemoryStore): { get(cid: CID): Promise<Uint8Array>, gets: number } {
  const source = { gets: 0, get: async (cid: CID) => { source.gets++; return store.get(cid) } }
  return source
}

describe('resolveFile', () => {
  it('finds a file by the safe path a download shows when its name as sent could not be kept', async () => {
    const { store, root } = await share(['dir/a:b.txt', 'dir/plain.txt'])
    const sent = await resolveFile(store, root, 'dir/a:b.txt')
    expect((await resolveFile(store, root, 'dir/a_b.txt')).toString()).toBe(sent.toString()) // ':' cannot be saved on Windows
    await expect(resolveFile(store, root, 'dir/missing.txt')).rejects.toHaveProperty('name', 'NotInShareError')
  })

  it('finds every file of plain and HAMT-sharded folders as the listing does, reading only the way there', async () => {
    for (const threshold of [undefined, 1000]) {
      const paths = Array.from({ length: 300 }, (_, i) => `dir/sub/file-${i}.txt`).concat(['top.txt'])
      const { store, root } = await share(paths, threshold)
      const listing = counting(store)
      const listed = await listFiles(listing, root)
      for (const file of listed.filter((_, i) => i % 37 === 0)) {
        const source = counting(store)
        expect((await resolveFile(source, root, file.path)).toString()).toBe(file.cid)
        // the folders (and shards) on the way: never the other 300 entries
        if (threshold == null) expect(source.gets).toBe(file.path.split('/').length)
        else expect(source.gets).toBeLessThan(listing.gets - 300)
      }
    }
  })

  it('says NotInShareError for a missing name and for a path under a file', async () => {
    const { store, root } = await share(['a/b.txt'])
    await expect(resolveFile(store, root, 'a/c.txt')).rejects.toMatchObject({ name: 'NotInShareError' })
    await expect(resolveFile(store, root, 'a/b.txt/x')).rejects.toMatchObject({ name: 'NotInShareError' })
    expect((await resolveFile(store, root, '')).toString()).toBe(root.toString())
  })
})
