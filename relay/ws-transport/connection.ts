import { AbstractMultiaddrConnection } from '@libp2p/utils'
import { WebSocket } from 'ws'
import { WebSocketProtocolError } from '../errors.ts'
import type { AbortOptions, Logger, MessageStreamDirection } from '@libp2p/interface'
import type { SendResult } from '@libp2p/utils'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Uint8ArrayList } from 'uint8arraylist'

/**
 * Bytes queued in the WebSocket (not yet taken by the kernel) before libp2p is
 * told to wait for 'drain'. The relay only sends small control messages and at
 * most 128 KiB per relayed circuit, so 1 MiB is never reached by honest peers.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024

/**
 * Bytes a connection may hold unread or unsent inside libp2p before it is
 * aborted: what a client that stops reading can make the relay keep.
 */
export const MAX_STREAM_BUFFER_BYTES = 4 * 1024 * 1024

/** A clean close waits this long for the other side's close frame, then drops the socket. */
export const CLOSE_TIMEOUT_MS = 2_000

/** Close code for a normal closure (RFC 6455 §7.4.1). */
const NORMAL_CLOSURE = 1000
/** Set by ws when the socket ended without a close frame (never sent on the wire). */
const ABNORMAL_CLOSURE = 1006

export interface RelayWebSocketConnectionInit {
  /** An open WebSocket from the `ws` package, with an 'error' listener already attached. */
  socket: WebSocket
  remoteAddr: Multiaddr
  direction: MessageStreamDirection
  log: Logger
}

/**
 * A `ws` WebSocket as a libp2p MultiaddrConnection: one binary message per
 * chunk each way, real read back-pressure (pause/resume of the socket), and a
 * reset that drops the TCP socket at once.
 */
export class RelayWebSocketConnection extends AbstractMultiaddrConnection {
  private readonly socket: WebSocket
  private waitingForDrain = false

  constructor (init: RelayWebSocketConnectionInit) {
    super({
      remoteAddr: init.remoteAddr,
      direction: init.direction,
      log: init.log,
      maxReadBufferLength: MAX_STREAM_BUFFER_BYTES,
      maxWriteBufferLength: MAX_STREAM_BUFFER_BYTES
    })
    this.socket = init.socket

    this.socket.on('message', (data, isBinary) => {
      if (!isBinary) {
        // libp2p only ever sends binary messages
        this.abort(new WebSocketProtocolError('Received a text message; libp2p over WebSocket is binary only'))
        return
      }
      this.onData(toUint8Array(data))
    })
    // ws reports invalid frames (bad opcode, RSV bits, unmasked, oversized...) here, then closes
    this.socket.on('error', (err: Error & { code?: string }) => {
      this.abort(new WebSocketProtocolError(`WebSocket error: ${err.message}`, { cause: err, code: err.code }))
    })
    this.socket.on('close', (code) => {
      // after our own abort, or during our own close (which finishes itself), nothing is left to report
      if (this.status !== 'open') return
      if (code === ABNORMAL_CLOSURE) this.onRemoteReset()
      else this.onTransportClosed()
    })
  }

  sendData (data: Uint8ArrayList): SendResult {
    for (const chunk of data) {
      this.socket.send(chunk, { binary: true }, this.onSent)
    }
    const canSendMore = this.socket.bufferedAmount < MAX_BUFFERED_BYTES
    if (!canSendMore) this.waitingForDrain = true
    return { sentBytes: data.byteLength, canSendMore }
  }

  /** Called by ws as each message reaches the socket: the moment to lift back-pressure. */
  private readonly onSent = (): void => {
    if (this.waitingForDrain && this.socket.bufferedAmount < MAX_BUFFERED_BYTES) {
      this.waitingForDrain = false
      this.safeDispatchEvent('drain')
    }
  }

  sendReset (): void {
    // a reset means "gone now": no close handshake, no waiting
    this.socket.terminate()
  }

  async sendClose (options?: AbortOptions): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return
    const closed = new Promise<void>(resolve => { this.socket.once('close', () => { resolve() }) })
    this.socket.close(NORMAL_CLOSURE)
    const signal = options?.signal ?? AbortSignal.timeout(CLOSE_TIMEOUT_MS)
    const gaveUp = new Promise<void>(resolve => {
      if (signal.aborted) resolve()
      else signal.addEventListener('abort', () => { resolve() }, { once: true })
    })
    await Promise.race([closed, gaveUp])
    // a peer that never answers the close frame does not get to keep the socket
    if ((this.socket.readyState as number) !== WebSocket.CLOSED) this.socket.terminate()
  }

  sendPause (): void {
    this.socket.pause()
  }

  sendResume (): void {
    this.socket.resume()
  }
}

function toUint8Array (data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data)
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return data
}
