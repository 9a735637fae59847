import { streamPair } from '@libp2p/utils'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { decodeResponses } from '../../app/core/protocol/block-codec.ts'
import { MemoryStore } from '../../app/core/storage/memory-store.ts'
import { patternBytes } from './bytes.ts'
import type { BlockStreamHandler } from '../../app/core/serve/block-server.ts'
import type { BlockStore } from '../../app/core/storage/block-store.ts'
import type { Connection, Stream, StreamCloseEvent } from '@libp2p/interface'

/** The block server's tests over in-memory stream pairs: blocks, a client stream, its answers in order. */
export const KiB = 1024

export function connection (peer: string): Connection {
  return { remotePeer: { toString: () => peer } } as unknown as Connection
}

export async function closeEvent (stream: Stream): Promise<StreamCloseEvent> {
  return await new Promise(resolve => { stream.addEventListener('close', resolve, { once: true }) })
}

/** `count` raw blocks of `size` bytes in a MemoryStore, and a name for each CID ('b0', 'b1'...). */
export async function blocks (count: number, size = 1000): Promise<{ store: MemoryStore, cids: CID[], name(cid: CID): string }> {
  const store = new MemoryStore()
  const cids: CID[] = []
  for (let i = 0; i < count; i++) {
    const bytes = patternBytes(size, i + 1)
    const cid = CID.createV1(raw.code, await sha256.digest(bytes))
    await store.put(cid, bytes)
    cids.push(cid)
  }
  const names = new Map(cids.map((cid, i) => [cid.toString(), `b${i}`]))
  return { store, cids, name: cid => names.get(cid.toString()) ?? cid.toString() }
}

export interface Served {
  client: Stream
  server: Stream
  /** The handler's promise: settles when the server is done with the stream. */
  handled: Promise<void>
  serverClosed: Promise<StreamCloseEvent>
}

/** A client stream to `handler`, as `peer`, over an in-memory stream pair. */
/** A store whose `get` waits until the test opens the gate; records what was asked. */
export function gated (store: Pick<BlockStore, 'get'>, name: (cid: CID) => string) {
  let open!: () => void
  const gate = new Promise<void>(resolve => { open = resolve })
  const asked: string[] = []
  let firstAsk!: () => void
  const asking = new Promise<void>(resolve => { firstAsk = resolve })
  const gatedStore: Pick<BlockStore, 'get'> = {
    get: async (cid, options) => {
      asked.push(name(cid))
      firstAsk()
      await gate
      return store.get(cid, options)
    }
  }
  return { store: gatedStore, asked, asking, open }
}

export async function open (handler: BlockStreamHandler, peer: string): Promise<Served> {
  const [client, server] = await streamPair()
  const serverClosed = closeEvent(server)
  const handled = handler(server, connection(peer))
  return { client, server, handled, serverClosed }
}

/** Everything the client reads, in order, as 'block:b0' / 'dont-have:b1'; `end` settles with the error, if any. */
export function readAnswers (client: Stream, name: (cid: CID) => string): { answers: string[], end: Promise<Error | undefined>, next(): Promise<string> } {
  const answers: string[] = []
  let notify: (() => void) | undefined
  const end = (async () => {
    try {
      for await (const message of decodeResponses(client)) {
        answers.push(`${message.type}:${name(message.cid)}`)
        notify?.()
      }
      return undefined
    } catch (err) {
      return err as Error
    } finally {
      notify?.()
    }
  })()
  let read = 0
  const next = async (): Promise<string> => {
    while (answers.length <= read) await new Promise<void>(resolve => { notify = resolve })
    return answers[read++]!
  }
  return { answers, end, next }
}
