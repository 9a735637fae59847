import { isIP, SocketAddress } from 'node:net'
import { MAX_STUN_TEXT_BYTES } from './constants.ts'
import { StunMessageError } from './errors.ts'
import { MAGIC_COOKIE } from './stun-message.ts'

/** STUN (RFC 5389) and TURN (RFC 5766) methods the doctor uses. */
export const Method = {
  BINDING: 0x001,
  ALLOCATE: 0x003,
  REFRESH: 0x004,
  DATA: 0x007,
  CREATE_PERMISSION: 0x008
} as const

/** Attribute types the doctor reads or writes. */
export const Attr = {
  MAPPED_ADDRESS: 0x0001,
  USERNAME: 0x0006,
  ERROR_CODE: 0x0009,
  LIFETIME: 0x000d,
  XOR_PEER_ADDRESS: 0x0012,
  DATA: 0x0013,
  REALM: 0x0014,
  NONCE: 0x0015,
  XOR_RELAYED_ADDRESS: 0x0016,
  REQUESTED_TRANSPORT: 0x0019,
  XOR_MAPPED_ADDRESS: 0x0020,
  SOFTWARE: 0x8022,
  ALTERNATE_SERVER: 0x8023
} as const

/** IANA protocol number for UDP: the only transport a TURN allocation relays for WebRTC. */
export const REQUESTED_TRANSPORT_UDP = Uint8Array.of(17, 0, 0, 0)

export interface TransportAddress {
  family: 4 | 6
  address: string
  port: number
}

export function formatAddress (a: TransportAddress): string {
  return a.family === 6 ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`
}

/** XOR-MAPPED-ADDRESS, XOR-RELAYED-ADDRESS, XOR-PEER-ADDRESS: the address XORed with the cookie (and, for IPv6, the transaction id). */
export function decodeXorAddress (value: Uint8Array, transactionId: Uint8Array): TransportAddress {
  return decodeAddress(value, xorMask(transactionId))
}

export function encodeXorAddress (address: TransportAddress, transactionId: Uint8Array): Uint8Array {
  const mask = xorMask(transactionId)
  const raw = addressBytes(address)
  const value = new Uint8Array(4 + raw.length)
  value[1] = address.family === 4 ? 0x01 : 0x02
  new DataView(value.buffer).setUint16(2, address.port ^ (MAGIC_COOKIE >>> 16))
  raw.forEach((byte, i) => { value[4 + i] = byte ^ mask[i]! })
  return value
}

/** MAPPED-ADDRESS and ALTERNATE-SERVER: the same layout, not XORed. */
export function decodePlainAddress (value: Uint8Array): TransportAddress {
  return decodeAddress(value, new Uint8Array(16))
}

/** ERROR-CODE: class (hundreds) and number, then a UTF-8 reason phrase. */
export function decodeErrorCode (value: Uint8Array): { code: number, reason: string } {
  if (value.length < 4) throw new StunMessageError('ERROR-CODE shorter than 4 bytes')
  const code = (value[2]! & 0x07) * 100 + value[3]!
  if (code < 300 || code > 699) throw new StunMessageError(`ERROR-CODE ${code} outside 300-699`)
  return { code, reason: decodeText(value.subarray(4), 'the ERROR-CODE reason') }
}

/** Text attributes (REALM, NONCE, SOFTWARE, reasons): bounded, valid UTF-8. */
export function decodeText (value: Uint8Array, what: string): string {
  if (value.length > MAX_STUN_TEXT_BYTES) throw new StunMessageError(`${what} longer than ${MAX_STUN_TEXT_BYTES} bytes`)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(value)
  } catch {
    throw new StunMessageError(`${what} is not UTF-8`)
  }
}

export function encodeText (text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

export function decodeUint32 (value: Uint8Array, what: string): number {
  if (value.length !== 4) throw new StunMessageError(`${what} is not 4 bytes`)
  return new DataView(value.buffer, value.byteOffset, 4).getUint32(0)
}

export function encodeUint32 (n: number): Uint8Array {
  const value = new Uint8Array(4)
  new DataView(value.buffer).setUint32(0, n)
  return value
}

/** Magic cookie then transaction id: the 16 bytes an address is XORed with. */
function xorMask (transactionId: Uint8Array): Uint8Array {
  const mask = new Uint8Array(16)
  new DataView(mask.buffer).setUint32(0, MAGIC_COOKIE)
  mask.set(transactionId.subarray(0, 12), 4)
  return mask
}

function decodeAddress (value: Uint8Array, mask: Uint8Array): TransportAddress {
  const family = value[1] === 0x01 ? 4 : value[1] === 0x02 ? 6 : undefined
  if (family == null || value.length < 4) throw new StunMessageError('an address attribute has an unknown family')
  const size = family === 4 ? 4 : 16
  if (value.length !== 4 + size) throw new StunMessageError(`an IPv${family} address attribute is ${value.length} bytes`)
  const port = (((value[2]! << 8) | value[3]!) ^ ((mask[0]! << 8) | mask[1]!)) & 0xffff
  const raw = value.subarray(4).map((byte, i) => byte ^ mask[i]!)
  if (family === 4) return { family, address: raw.join('.'), port }
  const groups = Array.from({ length: 8 }, (_, i) => ((raw[2 * i]! << 8) | raw[2 * i + 1]!).toString(16))
  // SocketAddress writes the canonical (compressed) form
  return { family, address: new SocketAddress({ address: groups.join(':'), family: 'ipv6' }).address, port }
}

function addressBytes (address: TransportAddress): Uint8Array {
  if (address.family === 4) {
    const parts = address.address.split('.').map(Number)
    if (parts.length !== 4 || parts.some(p => !Number.isInteger(p) || p < 0 || p > 255)) throw new StunMessageError(`"${address.address}" is not an IPv4 address`)
    return Uint8Array.from(parts)
  }
  return ipv6Bytes(address.address)
}

function ipv6Bytes (text: string): Uint8Array {
  const invalid = (): StunMessageError => new StunMessageError(`"${text}" is not an IPv6 address`)
  if (isIP(text) !== 6) throw invalid()
  // an embedded IPv4 tail (::ffff:192.0.2.1) is two groups
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  const hex = dotted == null
    ? text
    : `${dotted[1]}${((Number(dotted[2]) << 8) | Number(dotted[3])).toString(16)}:${((Number(dotted[4]) << 8) | Number(dotted[5])).toString(16)}`
  const [head = '', tail] = hex.split('::')
  const groups = (s: string): number[] => s === '' ? [] : s.split(':').map(g => Number.parseInt(g, 16))
  const left = groups(head)
  const right = tail == null ? [] : groups(tail)
  const zeros = 8 - left.length - right.length
  if (tail != null && zeros < 1) throw invalid()
  const all = tail == null ? left : [...left, ...new Array<number>(zeros).fill(0), ...right]
  if (all.length !== 8 || all.some(g => !Number.isInteger(g) || g < 0 || g > 0xffff)) throw invalid()
  const bytes = new Uint8Array(16)
  all.forEach((g, i) => { bytes[2 * i] = g >> 8; bytes[2 * i + 1] = g & 0xff })
  return bytes
}
