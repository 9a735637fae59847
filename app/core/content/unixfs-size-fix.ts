import { UnixFS } from 'ipfs-unixfs'

/**
 * Works around a bug under ipfs-unixfs 13.1 (protons-runtime 7.1/8.0,
 * `writeVarint64`): a uint64 between 2^31 and 2^32-1 is written as one garbage
 * byte and four zeros, because `LongBits` keeps its low word signed and the
 * writer's loop stops at once for a negative number. A file of 2-4 GiB (or a
 * part of that size in a larger file) then gets a wrong size in its node, a
 * CID that is not Kubo's, and a DAG readers refuse.
 *
 * Nodes with such a size are encoded here instead, field by field in the
 * order protons uses, so every other node keeps exactly the bytes it had.
 * Only nodes with the default mode and no mtime are taken over: Chiral's
 * importer sets neither. Remove once protons-runtime writes these values correctly.
 */
const TWO_31 = 2n ** 31n
const TWO_32 = 2n ** 32n
const TYPE_CODES: Record<string, number> = { raw: 0, directory: 1, file: 2, metadata: 3, symlink: 4, 'hamt-sharded-directory': 5 }
const PATCHED = Symbol.for('chiral.unixfsSizeFix')

export function installUnixfsSizeFix (): void {
  const proto = UnixFS.prototype as UnixFS & { [PATCHED]?: true }
  if (proto[PATCHED] === true) return
  const marshal = proto.marshal
  proto.marshal = function (this: UnixFS): Uint8Array {
    if (!hitsTheBug(this) || writesMode(this) || this.mtime != null) return marshal.call(this)
    return encodeData(this)
  }
  Object.defineProperty(proto, PATCHED, { value: true })
}

/** ipfs-unixfs leaves the mode out when it is the default for the node's kind (0644 files, 0755 folders). */
const DEFAULT_FILE_MODE = 0o644
const DEFAULT_DIRECTORY_MODE = 0o755

function writesMode (node: UnixFS): boolean {
  const original = (node as unknown as { _originalMode?: number })._originalMode ?? 0
  const mode = (original & 0xFFFFF000) | (node.mode ?? 0)
  return mode !== (node.isDirectory() ? DEFAULT_DIRECTORY_MODE : DEFAULT_FILE_MODE)
}

function sizesOf (node: UnixFS): bigint[] {
  const sizes = [...node.blockSizes]
  if (node.type === 'file' || node.type === 'raw') sizes.push(node.fileSize())
  if (node.hashType != null) sizes.push(node.hashType)
  if (node.fanout != null) sizes.push(node.fanout)
  return sizes
}

export function hitsTheBug (node: UnixFS): boolean {
  return sizesOf(node).some(size => size >= TWO_31 && size < TWO_32)
}

/** The UnixFS Data message as protons writes it (type, data, filesize, blocksizes, hashType, fanout), with correct varints. */
export function encodeData (node: UnixFS): Uint8Array {
  const out: number[] = []
  const varint = (value: bigint): void => {
    while (value >= 0x80n) {
      out.push(Number(value & 0x7fn) | 0x80)
      value >>= 7n
    }
    out.push(Number(value))
  }
  const type = TYPE_CODES[node.type]
  if (type == null) throw new TypeError(`unknown UnixFS type ${node.type}`)
  varint(8n)
  varint(BigInt(type))
  if (node.data != null && node.data.length > 0) {
    varint(18n)
    varint(BigInt(node.data.length))
    for (const byte of node.data) out.push(byte)
  }
  if (node.type === 'file' || node.type === 'raw') {
    varint(24n)
    varint(node.fileSize())
  }
  for (const size of node.blockSizes) {
    varint(32n)
    varint(size)
  }
  if (node.hashType != null) {
    varint(40n)
    varint(node.hashType)
  }
  if (node.fanout != null) {
    varint(48n)
    varint(node.fanout)
  }
  return Uint8Array.from(out)
}
