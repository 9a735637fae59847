import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

export interface ZipEntry {
  name: string
  size: number
  sha256: string
}

/**
 * The entries of a zip as client-zip writes it (stored, no compression),
 * read through the central directory; each entry's data is hashed where its
 * local header says it starts. Zip64 fields are not read: test zips are small.
 */
export function readZip (path: string): ZipEntry[] {
  const zip = readFileSync(path)
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (end < 0) throw new Error('no end of central directory: not a zip')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${i} is malformed`)
    const method = zip.readUInt16LE(at + 10)
    const compressed = zip.readUInt32LE(at + 20)
    const size = zip.readUInt32LE(at + 24)
    const nameLength = zip.readUInt16LE(at + 28)
    const extraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    if (method !== 0 || compressed !== size) throw new Error(`entry ${name} is not stored as is (method ${method})`)
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`entry ${name} has no local header`)
    const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(dataStart, dataStart + size)
    entries.push({ name, size, sha256: createHash('sha256').update(data).digest('hex') })
    at += 46 + nameLength + extraLength + commentLength
  }
  return entries
}
