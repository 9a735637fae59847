/**
 * `node stun-probe.ts <host> <port>`: one STUN Binding request over UDP
 * (RFC 5389), retransmitted as the RFC says, printing the reflexive address
 * the server saw as JSON ({"address":"192.0.2.101","port":40000}). Run inside
 * a lab host namespace, it shows what the home's NAT maps us to.
 */
import { createSocket } from 'node:dgram'
import { randomBytes } from 'node:crypto'

const MAGIC_COOKIE = 0x2112A442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const XOR_MAPPED_ADDRESS = 0x0020
/** RFC 5389 7.2.1: RTO 500 ms doubling, 7 sends; shortened, the lab has no latency. */
const RETRANSMIT_MS = [100, 200, 400, 800, 1600]

export function parseBindingResponse (msg: Buffer, transactionId: Buffer): { address: string, port: number } | undefined {
  if (msg.length < 20 || msg.readUInt16BE(0) !== BINDING_SUCCESS || msg.readUInt32BE(4) !== MAGIC_COOKIE) return undefined
  if (!msg.subarray(8, 20).equals(transactionId)) return undefined
  for (let at = 20; at + 4 <= msg.length;) {
    const type = msg.readUInt16BE(at)
    const length = msg.readUInt16BE(at + 2)
    if (type === XOR_MAPPED_ADDRESS && length >= 8 && msg[at + 5] === 0x01) {
      const port = msg.readUInt16BE(at + 6) ^ (MAGIC_COOKIE >>> 16)
      const ip = msg.readUInt32BE(at + 8) ^ MAGIC_COOKIE
      return { address: [24, 16, 8, 0].map(shift => (ip >>> shift) & 255).join('.'), port }
    }
    at += 4 + Math.ceil(length / 4) * 4
  }
  return undefined
}

async function probe (host: string, port: number): Promise<{ address: string, port: number }> {
  const socket = createSocket('udp4')
  const transactionId = randomBytes(12)
  const request = Buffer.alloc(20)
  request.writeUInt16BE(BINDING_REQUEST, 0)
  request.writeUInt32BE(MAGIC_COOKIE, 4)
  transactionId.copy(request, 8)
  try {
    return await new Promise((resolve, reject) => {
      socket.on('error', reject)
      socket.on('message', msg => {
        const mapped = parseBindingResponse(msg, transactionId)
        if (mapped != null) resolve(mapped)
      })
      let sent = 0
      const send = (): void => {
        if (sent === RETRANSMIT_MS.length) { reject(new Error(`no STUN answer from ${host}:${port}`)); return }
        socket.send(request, port, host)
        setTimeout(send, RETRANSMIT_MS[sent++])
      }
      send()
    })
  } finally {
    socket.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [host, port] = process.argv.slice(2)
  probe(host ?? '', Number(port)).then(mapped => {
    process.stdout.write(JSON.stringify(mapped) + '\n')
    process.exit(0)
  }, err => {
    process.stderr.write(`${(err as Error).message}\n`)
    process.exit(1)
  })
}
