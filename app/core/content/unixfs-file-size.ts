/**
 * The `filesize` field (3) of a UnixFS Data message as written, or undefined
 * when absent. ipfs-unixfs drops it on unmarshal (its fileSize() sums
 * blockSizes and inline data), while Kubo reads this field: a node whose two
 * disagree would show one size here and another there.
 *
 * @throws RangeError when `data` is not a well-formed protobuf message
 */
export function writtenFileSize (data: Uint8Array): bigint | undefined {
  let offset = 0
  let found: bigint | undefined
  while (offset < data.byteLength) {
    const key = readVarint(data, offset)
    offset = key.next
    const field = key.value >> 3n
    switch (key.value & 7n) {
      case 0n: {
        const value = readVarint(data, offset)
        offset = value.next
        if (field === 3n) found = value.value // the last occurrence wins, as in protobuf
        break
      }
      case 1n: offset += 8; break
      case 2n: {
        const length = readVarint(data, offset)
        if (length.value > BigInt(data.byteLength)) throw new RangeError('a field is longer than its message')
        offset = length.next + Number(length.value)
        break
      }
      case 5n: offset += 4; break
      default: throw new RangeError(`unknown protobuf wire type ${key.value & 7n}`)
    }
    if (offset > data.byteLength) throw new RangeError('the message ends inside a field')
  }
  return found
}

/** A protobuf varint: at most 10 bytes (64 bits). */
function readVarint (data: Uint8Array, offset: number): { value: bigint, next: number } {
  let value = 0n
  for (let i = 0; i < 10; i++) {
    const byte = data[offset + i]
    if (byte === undefined) throw new RangeError('the message ends inside a varint')
    value |= BigInt(byte & 0x7f) << BigInt(7 * i)
    if ((byte & 0x80) === 0) return { value, next: offset + i + 1 }
  }
  throw new RangeError('a varint is longer than 10 bytes')
}
