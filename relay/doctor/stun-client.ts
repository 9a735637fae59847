import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { MAX_STRAY_DATAGRAMS, MAX_STUN_MESSAGE_BYTES, STUN_INITIAL_RTO_MS, STUN_TRANSACTION_TIMEOUT_MS } from './constants.ts'
import { ConnectFailedError, ConnectionClosedError, NoAnswerError, StunMessageError, type Endpoint } from './errors.ts'
import { connectTcp, connectTls, withTimeout } from './net-connect.ts'
import { decodeStunMessage, stunMessageSize, type DecodedStunMessage } from './stun-message.ts'
import type { Socket } from 'node:net'

/**
 * STUN transactions with one server over UDP (retransmitted, RFC 5389 section
 * 7.2.1), TCP or TLS (STUN messages back to back on the stream, framed by their
 * length field, as TURN over TCP does: RFC 5766 section 2.1).
 */
export interface StunClient {
  /** Send a request; resolves with the response (success or error class) carrying the same transaction id. */
  request(message: Uint8Array, transactionId: Uint8Array, options?: { signal?: AbortSignal }): Promise<DecodedStunMessage>
  /** Called with every indication the server sends (TURN Data indications). */
  onIndication(handler: (message: DecodedStunMessage) => void): void
  close(): void
}

interface Pending {
  resolve: (message: DecodedStunMessage) => void
  reject: (err: Error) => void
}

/** Connect to `to` (its host resolved to `ip`) over its transport. */
export async function openStunClient (to: Endpoint, ip: string, family: 4 | 6, options: { signal?: AbortSignal } = {}): Promise<StunClient> {
  if (to.transport === 'udp') return await openUdp(to, ip, family, options.signal)
  const socket = to.transport === 'tls' ? (await connectTls(to, ip, options)).socket : await connectTcp(to, ip, options)
  return openStream(to, socket)
}

/** What both transports share: matching responses to requests, failing them all at once. */
class Transactions {
  private readonly pending = new Map<string, Pending>()
  private failure: Error | undefined
  private readonly to: Endpoint
  indication: (message: DecodedStunMessage) => void = () => {}

  constructor (to: Endpoint) {
    this.to = to
  }

  /** Run one transaction; `send` (re)sends it and may be called again for retransmissions. */
  async run (transactionId: Uint8Array, send: () => void, signal: AbortSignal | undefined, retransmit: boolean): Promise<DecodedStunMessage> {
    if (this.failure != null) throw this.failure
    const key = Buffer.from(transactionId).toString('hex')
    const deadline = withTimeout(signal, STUN_TRANSACTION_TIMEOUT_MS)
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await new Promise<DecodedStunMessage>((resolve, reject) => {
        this.pending.set(key, { resolve, reject })
        deadline.addEventListener('abort', () => {
          reject(signal?.aborted === true ? signal.reason : new NoAnswerError(this.to, STUN_TRANSACTION_TIMEOUT_MS))
        }, { once: true })
        let rto = STUN_INITIAL_RTO_MS
        const again = (): void => {
          send()
          if (!retransmit) return
          timer = setTimeout(again, rto)
          rto *= 2
        }
        again()
      })
    } finally {
      clearTimeout(timer)
      this.pending.delete(key)
    }
  }

  /** A whole message from the wire. Returns false when it is not one we expect. */
  deliver (bytes: Uint8Array): boolean {
    const message = decodeStunMessage(bytes)
    if (message.cls === 'indication') {
      this.indication(message)
      return true
    }
    if (message.cls === 'request') return false
    const pending = this.pending.get(Buffer.from(message.transactionId).toString('hex'))
    pending?.resolve(message)
    return pending != null
  }

  fail (err: Error): void {
    this.failure ??= err
    for (const pending of this.pending.values()) pending.reject(err)
  }

  /** Fail what is waiting, but let later requests try (an ICMP error on UDP is not final). */
  failPending (err: Error): void {
    for (const pending of this.pending.values()) pending.reject(err)
  }
}

async function openUdp (to: Endpoint, ip: string, family: 4 | 6, signal: AbortSignal | undefined): Promise<StunClient> {
  const socket: UdpSocket = createSocket(family === 6 ? 'udp6' : 'udp4')
  const transactions = new Transactions(to)
  let stray = 0
  socket.on('message', datagram => {
    let expected = false
    try {
      expected = datagram.length <= MAX_STUN_MESSAGE_BYTES && transactions.deliver(datagram)
    } catch (err) {
      if (!(err instanceof StunMessageError)) throw err
    }
    if (!expected && ++stray > MAX_STRAY_DATAGRAMS) transactions.fail(new StunMessageError(`more than ${MAX_STRAY_DATAGRAMS} unexpected datagrams from ${to.host}`))
  })
  // a connected UDP socket hears ICMP "port unreachable" as ECONNREFUSED: nothing listens there
  socket.on('error', err => { transactions.failPending(new ConnectFailedError(to, (err as NodeJS.ErrnoException).code ?? err.message, { cause: err })) })
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject)
    socket.connect(to.port, ip, () => { socket.off('error', reject); resolve() })
  }).catch(err => {
    socket.close()
    throw new ConnectFailedError(to, (err as NodeJS.ErrnoException).code ?? (err as Error).message, { cause: err })
  })
  signal?.throwIfAborted()
  let closed = false
  return {
    request: async (message, transactionId, options = {}) => await transactions.run(transactionId, () => {
      if (!closed) socket.send(message)
    }, options.signal ?? signal, true),
    onIndication: handler => { transactions.indication = handler },
    close: () => {
      if (closed) return
      closed = true
      transactions.fail(new ConnectionClosedError(to))
      socket.close()
    }
  }
}

function openStream (to: Endpoint, socket: Socket): StunClient {
  const transactions = new Transactions(to)
  // at most one message's worth is ever buffered: its size is checked from its first 4 bytes
  let buffered = Buffer.alloc(0)
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk])
    try {
      while (buffered.length >= 4) {
        const size = stunMessageSize(buffered)
        if (buffered.length < size) break
        const message = buffered.subarray(0, size)
        buffered = buffered.subarray(size)
        transactions.deliver(message)
      }
    } catch (err) {
      // a stream that is not STUN cannot be resynchronised
      transactions.fail(err as Error)
      socket.destroy()
    }
  })
  socket.on('error', err => { transactions.fail(new ConnectFailedError(to, (err as NodeJS.ErrnoException).code ?? err.message, { cause: err })) })
  socket.on('close', () => { transactions.fail(new ConnectionClosedError(to)) })
  return {
    request: async (message, transactionId, options = {}) => await transactions.run(transactionId, () => { socket.write(message) }, options.signal, false),
    onIndication: handler => { transactions.indication = handler },
    close: () => { socket.destroy() }
  }
}
