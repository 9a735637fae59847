import type { Page } from '@playwright/test'

const CHUNK_BYTES = 256 * 1024
/** Like the app's store: many puts per transaction (one per put halves throughput). */
const PUTS_PER_TRANSACTION = 64
const TRANSACTIONS_IN_FLIGHT = 2
const DB_NAME = 'chiral-bench-idb-ceiling'

/**
 * The import ceiling: the same file's bytes, read from the same File in 256 KiB
 * slices and written into IndexedDB alone (no hashing, no DAG), in the same page.
 * Returns MB/s; the database is deleted afterwards.
 */
export async function measureIdbCeiling (page: Page, filePath: string): Promise<{ mbps: number, seconds: number }> {
  await page.evaluate(() => {
    const input = document.createElement('input')
    input.type = 'file'
    input.id = 'bench-idb-ceiling-input'
    input.hidden = true
    document.body.append(input)
  })
  await page.setInputFiles('#bench-idb-ceiling-input', filePath)
  const result = await page.evaluate(async ({ chunkBytes, perTx, inFlight, dbName }) => {
    const input = document.getElementById('bench-idb-ceiling-input') as HTMLInputElement
    const file = input.files![0]!
    const open = async (): Promise<IDBDatabase> => new Promise((resolve, reject) => {
      const request = indexedDB.open(dbName, 1)
      request.onupgradeneeded = () => { request.result.createObjectStore('blocks') }
      request.onsuccess = () => { resolve(request.result) }
      request.onerror = () => { reject(request.error) }
    })
    const db = await open()
    const start = performance.now()
    const running = new Set<Promise<void>>()
    let index = 0
    for (let offset = 0; offset < file.size;) {
      const batch: Uint8Array[] = []
      for (let i = 0; i < perTx && offset < file.size; i++, offset += chunkBytes) {
        batch.push(new Uint8Array(await file.slice(offset, offset + chunkBytes).arrayBuffer()))
      }
      const tx = db.transaction('blocks', 'readwrite')
      const store = tx.objectStore('blocks')
      for (const bytes of batch) store.put(bytes, `block-${index++}`)
      const done = new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => { resolve() }
        tx.onerror = () => { reject(tx.error) }
        tx.onabort = () => { reject(tx.error ?? new Error('transaction aborted')) }
      })
      running.add(done)
      void done.finally(() => running.delete(done))
      if (running.size >= inFlight) await Promise.race(running)
    }
    await Promise.all(running)
    const seconds = (performance.now() - start) / 1000
    db.close()
    await new Promise<void>(resolve => {
      const del = indexedDB.deleteDatabase(dbName)
      del.onsuccess = () => { resolve() }
      del.onerror = () => { resolve() }
      del.onblocked = () => { resolve() }
    })
    input.remove()
    return { bytes: file.size, seconds }
  }, { chunkBytes: CHUNK_BYTES, perTx: PUTS_PER_TRANSACTION, inFlight: TRANSACTIONS_IN_FLIGHT, dbName: DB_NAME })
  return { mbps: result.bytes / 2 ** 20 / result.seconds, seconds: result.seconds }
}
