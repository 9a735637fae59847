import { logger } from '@libp2p/logger'
import { MAX_PENDING_WANTS_PER_STREAM } from '../constants.ts'
import { BlockNotFoundError, ProtocolError } from '../errors.ts'
import { decodeFrames, encodeBlock, encodeDontHave } from '../protocol/block-codec.ts'
import { sendWithBackpressure } from './stream-writer.ts'
import type { BlockStore } from '../storage/block-store.ts'
import type { Connection, Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'

const log = logger('chiral:exchange:server')

export interface BlockServerInit {
  store: Pick<BlockStore, 'get'>
  /** Called after each block went out (statistics, UI). */
  onServed?(cid: CID, peer: string): void
}

/**
 * Serve one inbound stream: answer every wanted CID, in order, with its block
 * or DONT_HAVE. A peer that breaks the protocol or queues more than
 * MAX_PENDING_WANTS_PER_STREAM wants gets its stream reset.
 */
export function createBlockHandler (init: BlockServerInit): (stream: Stream, connection: Connection) => Promise<void> {
  return async (stream, connection) => {
    const peer = connection.remotePeer.toString()
    const queue: CID[] = []
    let wake: (() => void) | undefined
    let reading = true

    const reader = (async () => {
      try {
        for await (const message of decodeFrames(stream)) {
          if (message.type !== 'want') throw new ProtocolError(`a client sent ${message.type}`)
          if (queue.length + message.cids.length > MAX_PENDING_WANTS_PER_STREAM) {
            throw new ProtocolError(`more than ${MAX_PENDING_WANTS_PER_STREAM} wants pending`)
          }
          queue.push(...message.cids)
          wake?.()
        }
      } catch (err) {
        queue.length = 0 // answer nothing more to a peer that broke the rules
        throw err
      } finally {
        reading = false
        wake?.()
      }
    })()

    const writer = (async () => {
      while (true) {
        const cid = queue.shift()
        if (cid == null) {
          if (!reading) return
          await new Promise<void>(resolve => { wake = resolve })
          wake = undefined
          continue
        }
        let bytes: Uint8Array | undefined
        try {
          bytes = await init.store.get(cid)
        } catch (err) {
          if (!(err instanceof BlockNotFoundError)) throw err
        }
        if (bytes == null) {
          await sendWithBackpressure(stream, encodeDontHave(cid))
        } else {
          await sendWithBackpressure(stream, encodeBlock(cid, bytes))
          init.onServed?.(cid, peer)
        }
      }
    })()

    try {
      await Promise.all([reader, writer])
      await stream.close()
    } catch (err) {
      log('resetting stream from %s: %s', peer, (err as Error).message)
      stream.abort(err as Error)
    }
  }
}
