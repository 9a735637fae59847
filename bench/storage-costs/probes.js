// Page-side probes of bench/storage-costs.ts: plain script, so what runs is exactly what is measured.
/* global indexedDB, IDBKeyRange, crypto, navigator, Worker, Blob, URL */
(() => {
  const BLOCK = 262144
  const blocks = Array.from({ length: 16 }, () => {
    const block = new Uint8Array(BLOCK)
    for (let o = 0; o < BLOCK; o += 65536) crypto.getRandomValues(block.subarray(o, o + 65536))
    return block
  })
  const request = (r) => new Promise((resolve, reject) => { r.onsuccess = () => resolve(r.result); r.onerror = () => reject(r.error) })
  const committed = (tx) => new Promise((resolve, reject) => { tx.oncomplete = () => resolve(); tx.onerror = () => reject(tx.error) })
  const openDb = () => {
    const r = indexedDB.open(`storage-costs-${Math.random()}`, 1)
    r.onupgradeneeded = () => r.result.createObjectStore('blocks')
    return request(r)
  }
  let db
  let packWorker
  const worker = (source) => new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })))
  const ask = (w, message) => new Promise((resolve) => { w.onmessage = (e) => resolve(e.data); w.postMessage(message) })

  /** 256 KiB blocks into a fresh database, `perTx` per transaction, each stored as `value(block)`. */
  const writeValues = async (n, perTx, value) => {
    db = await openDb()
    for (let i = 0; i < n; i += perTx) {
      const tx = db.transaction('blocks', 'readwrite')
      for (let j = i; j < Math.min(n, i + perTx); j++) tx.objectStore('blocks').put(value(blocks[j % 16]), `b${j}`)
      await committed(tx)
    }
  }
  /** Read them back, `perTx` per transaction; `size(value)` must come to a whole block. */
  const readValues = async (n, perTx, size) => {
    for (let i = 0; i < n; i += perTx) {
      const store = db.transaction('blocks').objectStore('blocks')
      const reads = []
      for (let j = i; j < Math.min(n, i + perTx); j++) reads.push(request(store.get(`b${j}`)))
      for (const value of await Promise.all(reads)) if (await size(value) !== BLOCK) throw new Error('short read')
    }
  }

  globalThis.storageProbes = {
    async sha256 (n) {
      for (let i = 0; i < n; i++) await crypto.subtle.digest('SHA-256', blocks[i % 16])
    },
    idbWrite: async (n, perTx) => writeValues(n, perTx, (block) => block.slice()),
    idbRead: async (n, perTx) => readValues(n, perTx, (block) => block.byteLength),
    idbBlobWrite: async (n, perTx) => writeValues(n, perTx, (block) => new Blob([block])),
    idbBlobRead: async (n, perTx) => readValues(n, perTx, async (blob) => (await blob.arrayBuffer()).byteLength),
    async idbSplitWrite (n, perTx) {
      db = await openDb()
      const parts = 5
      const size = Math.ceil(BLOCK / parts)
      for (let i = 0; i < n; i += perTx) {
        const tx = db.transaction('blocks', 'readwrite')
        for (let j = i; j < Math.min(n, i + perTx); j++) {
          for (let p = 0; p < parts; p++) tx.objectStore('blocks').put(blocks[j % 16].slice(p * size, (p + 1) * size), `b${j}/${p}`)
        }
        await committed(tx)
      }
    },
    async opfsFilePerBlock (n) {
      const w = worker(`onmessage = async (e) => {
        const { n, blocks } = e.data
        const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('costs-' + Math.random(), { create: true })
        for (let i = 0; i < n; i++) {
          const handle = await (await dir.getFileHandle('b' + i, { create: true })).createSyncAccessHandle()
          handle.write(blocks[i % 16], { at: 0 }); handle.flush(); handle.close()
        }
        postMessage('written')
      }`)
      await ask(w, { n, blocks })
      w.terminate()
    },
    async opfsPackWrite (n) {
      packWorker = worker(`let handle
      onmessage = async (e) => {
        const { op, n, blocks } = e.data
        if (op === 'write') {
          const file = await (await navigator.storage.getDirectory()).getFileHandle('costs-pack-' + Math.random(), { create: true })
          handle = await file.createSyncAccessHandle()
          for (let i = 0; i < n; i++) { handle.write(blocks[i % 16], { at: i * ${BLOCK} }); if (i % 16 === 15) handle.flush() }
          handle.flush()
          postMessage('written')
        } else {
          for (let i = 0; i < n; i++) { const b = new Uint8Array(${BLOCK}); handle.read(b, { at: i * ${BLOCK} }); postMessage(b, [b.buffer]) }
          postMessage('read')
        }
      }`)
      await ask(packWorker, { op: 'write', n, blocks })
    },
    async opfsPackRead (n) {
      let bytes = 0
      await new Promise((resolve) => {
        packWorker.onmessage = (e) => { if (e.data === 'read') resolve(); else bytes += e.data.byteLength }
        packWorker.postMessage({ op: 'read', n })
      })
      if (bytes !== n * BLOCK) throw new Error('short read')
      packWorker.terminate()
    }
  }
})()
