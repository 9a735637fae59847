import { randomBytes } from 'node:crypto'
import { connect, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'

export interface RawConnection {
  socket: Socket
  /** Resolves with every byte received once the relay has closed the socket. */
  closed: Promise<Buffer>
}

export interface RawConnectOptions {
  localAddress?: string
  /** Speak TLS (trusting this CA, for the name localhost) instead of plain TCP. */
  tlsCa?: Buffer
}

/** A TCP (or TLS) connection to 127.0.0.1:port that records what comes back until the close. */
export async function rawConnect (port: number, options: RawConnectOptions = {}): Promise<RawConnection> {
  const socket: Socket = options.tlsCa == null
    ? connect({ port, host: '127.0.0.1', localAddress: options.localAddress })
    : connectTls({ port, host: '127.0.0.1', servername: 'localhost', ca: options.tlsCa })
  const chunks: Buffer[] = []
  socket.on('data', (chunk: Buffer) => { chunks.push(chunk) })
  // a reset from the relay is an answer too
  socket.on('error', () => {})
  const closed = new Promise<Buffer>(resolve => { socket.once('close', () => { resolve(Buffer.concat(chunks)) }) })
  await new Promise<void>((resolve, reject) => {
    socket.once(options.tlsCa == null ? 'connect' : 'secureConnect', resolve)
    socket.once('error', reject)
  })
  return { socket, closed }
}

/**
 * A TCP connection that has completed a valid WebSocket upgrade on `port`:
 * whatever is written next is read by the relay as WebSocket frames.
 */
export async function rawWebSocket (port: number, options: RawConnectOptions = {}): Promise<RawConnection> {
  const raw = await rawConnect(port, options)
  const key = randomBytes(16).toString('base64')
  raw.socket.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`)
  const headLength = await new Promise<number>((resolve, reject) => {
    let head = ''
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1')
      const end = head.indexOf('\r\n\r\n')
      if (end < 0) return
      raw.socket.off('data', onData)
      if (head.startsWith('HTTP/1.1 101')) resolve(end + 4)
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`))
    }
    raw.socket.on('data', onData)
    void raw.closed.then(() => { reject(new Error('closed during the upgrade')) })
  })
  // from here on only WebSocket frames count
  return { socket: raw.socket, closed: raw.closed.then(bytes => bytes.subarray(headLength)) }
}

/** A client→server WebSocket frame header (RFC 6455 §5.2) with a zero mask, so the payload goes as is. */
export function frameHeader (init: { fin?: boolean, rsv?: number, opcode: number, length: number | bigint, masked?: boolean }): Buffer {
  const first = ((init.fin ?? true) ? 0x80 : 0) | ((init.rsv ?? 0) << 4) | init.opcode
  const mask = (init.masked ?? true) ? 0x80 : 0
  const length = BigInt(init.length)
  let head: Buffer
  if (length < 126n) {
    head = Buffer.from([first, mask | Number(length)])
  } else if (length < 65536n) {
    head = Buffer.alloc(4)
    head.writeUInt8(first, 0)
    head.writeUInt8(mask | 126, 1)
    head.writeUInt16BE(Number(length), 2)
  } else {
    head = Buffer.alloc(10)
    head.writeUInt8(first, 0)
    head.writeUInt8(mask | 127, 1)
    head.writeBigUInt64BE(length, 2)
  }
  return (init.masked ?? true) ? Buffer.concat([head, Buffer.alloc(4)]) : head
}

/** The status code of the first close frame (opcode 8) in bytes a server sent, if any. */
export function closeCodeOf (bytes: Buffer): number | undefined {
  let i = 0
  while (i + 2 <= bytes.length) {
    const opcode = bytes[i]! & 0x0f
    let length = bytes[i + 1]! & 0x7f
    let offset = i + 2
    if (length === 126) { length = bytes.readUInt16BE(offset); offset += 2 } else if (length === 127) { length = Number(bytes.readBigUInt64BE(offset)); offset += 8 }
    if (opcode === 0x8) return length >= 2 ? bytes.readUInt16BE(offset) : undefined
    i = offset + length
  }
  return undefined
}
