import { randomBytes } from 'node:crypto'
import { createSocket, type Socket as UdpSocket } from 'node:dgram'
import { createServer, type Server, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { MAX_STRAY_DATAGRAMS } from '../../relay/doctor/constants.ts'
import { Attr, Method } from '../../relay/doctor/stun-attributes.ts'
import { openStunClient } from '../../relay/doctor/stun-client.ts'
import { decodeStunMessage, encodeStunMessage, TRANSACTION_ID_BYTES } from '../../relay/doctor/stun-message.ts'

/** The client against fake servers on loopback that misbehave on purpose. */

const STEP_TIMEOUT_MS = 3_000
const closers: Array<() => void> = []
afterEach(() => { for (const close of closers.splice(0)) close() })

function request (): { transactionId: Uint8Array, bytes: Uint8Array } {
  const transactionId = randomBytes(TRANSACTION_ID_BYTES)
  return { transactionId, bytes: encodeStunMessage({ method: Method.BINDING, cls: 'request', transactionId, attributes: [] }) }
}

/** A success response (or an indication) to the request in `bytes`. */
function answer (bytes: Uint8Array, cls: 'success' | 'indication' = 'success'): Uint8Array {
  const { transactionId } = decodeStunMessage(bytes)
  return encodeStunMessage({ method: cls === 'success' ? Method.BINDING : Method.DATA, cls, transactionId, attributes: [{ type: Attr.SOFTWARE, value: new TextEncoder().encode('fake') }] })
}

async function udpServer (onMessage: (server: UdpSocket, message: Buffer, port: number) => void): Promise<number> {
  const server = createSocket('udp4')
  closers.push(() => { server.close() })
  server.on('message', (message, from) => { onMessage(server, message, from.port) })
  await new Promise<void>(resolve => server.bind(0, '127.0.0.1', resolve))
  return server.address().port
}

async function tcpServer (onConnection: (socket: Socket) => void): Promise<number> {
  const server: Server = createServer(socket => {
    closers.push(() => { socket.destroy() })
    onConnection(socket)
  })
  closers.push(() => { server.close() })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as { port: number }).port
}

async function rejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err) {
    return err as Error
  }
  throw new Error('expected a rejection')
}

describe('STUN client over UDP', () => {
  it('ignores garbage and other transactions, and takes the matching response', async () => {
    const port = await udpServer((server, message, from) => {
      server.send(Buffer.from('not stun at all'), from, '127.0.0.1')
      server.send(answer(request().bytes), from, '127.0.0.1')
      server.send(answer(message), from, '127.0.0.1')
    })
    const client = await openStunClient({ transport: 'udp', host: 'fake', port }, '127.0.0.1', 4)
    closers.push(() => { client.close() })
    const { transactionId, bytes } = request()
    const response = await client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
    expect(response.transactionId).toEqual(Uint8Array.from(transactionId))
  })

  it('gives up on a server that floods it with datagrams that are not answers', async () => {
    const port = await udpServer((server, _message, from) => {
      for (let i = 0; i <= MAX_STRAY_DATAGRAMS; i++) server.send(Buffer.from('junk'), from, '127.0.0.1')
    })
    const client = await openStunClient({ transport: 'udp', host: 'fake', port }, '127.0.0.1', 4)
    closers.push(() => { client.close() })
    const { transactionId, bytes } = request()
    const err = await rejection(client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) }))
    expect(err.name).toBe('StunMessageError')
    expect(err.message).toMatch(/unexpected datagrams/)
  })

  it('hears "port unreachable" as nothing listening', async () => {
    const port = await udpServer(() => {})
    closers.splice(0).forEach(close => { close() }) // the port is free again
    const client = await openStunClient({ transport: 'udp', host: 'fake', port }, '127.0.0.1', 4)
    closers.push(() => { client.close() })
    const { transactionId, bytes } = request()
    const err = await rejection(client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) }))
    expect(err).toMatchObject({ name: 'ConnectFailedError', code: 'ECONNREFUSED' })
  })
})

describe('STUN client over TCP (length-framed)', () => {
  it('reassembles a response sent a byte at a time, and splits two sent at once', async () => {
    const port = await tcpServer(socket => {
      const requests: Uint8Array[] = []
      socket.on('data', async (chunk: Buffer) => {
        requests.push(chunk)
        if (requests.length === 1) {
          for (const byte of answer(chunk)) {
            socket.write(Uint8Array.of(byte))
            await new Promise(resolve => setImmediate(resolve))
          }
        } else {
          // an indication and a response in one segment
          socket.write(Buffer.concat([answer(chunk, 'indication'), answer(chunk)]))
        }
      })
    })
    const client = await openStunClient({ transport: 'tcp', host: 'fake', port }, '127.0.0.1', 4)
    closers.push(() => { client.close() })
    const indications: number[] = []
    client.onIndication(message => { indications.push(message.method) })
    for (let i = 0; i < 2; i++) {
      const { transactionId, bytes } = request()
      const response = await client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) })
      expect(response.cls).toBe('success')
    }
    expect(indications).toEqual([Method.DATA])
  })

  it('refuses a stream that is not STUN, or announces a message past the bound, without waiting for it', async () => {
    for (const reply of [Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'), Buffer.from([0x01, 0x01, 0xff, 0xfc])]) {
      const port = await tcpServer(socket => { socket.once('data', () => { socket.write(reply) }) })
      const client = await openStunClient({ transport: 'tcp', host: 'fake', port }, '127.0.0.1', 4)
      closers.push(() => { client.close() })
      const { transactionId, bytes } = request()
      const err = await rejection(client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) }))
      expect(err.name).toBe('StunMessageError')
    }
  })

  it('reports a server that hangs up without answering', async () => {
    const port = await tcpServer(socket => { socket.once('data', () => { socket.end() }) })
    const client = await openStunClient({ transport: 'tcp', host: 'fake', port }, '127.0.0.1', 4)
    closers.push(() => { client.close() })
    const { transactionId, bytes } = request()
    const err = await rejection(client.request(bytes, transactionId, { signal: AbortSignal.timeout(STEP_TIMEOUT_MS) }))
    expect(err.name).toBe('ConnectionClosedError')
  })
})
