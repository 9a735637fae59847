import { createHash } from 'node:crypto'
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs'

export interface ZipEntry {
  name: string
  size: number
  sha256: string
}

/** How much of the zip's end is read to find the central directory (it is small: names and offsets). */
const TAIL_BYTES = 1024 * 1024

/**
 * The entries of a zip as client-zip writes it (stored, no compression),
 * read through the central directory; each entry's data is hashed as a
 * stream from where its local header says it starts, so a 1 GB zip is never
 * in the test's memory. Zip64 fields are not read: entries stay under 4 GiB.
 */
export async function readZip (path: string): Promise<ZipEntry[]> {
  const fd = openSync(path, 'r')
  try {
    const fileSize = fstatSync(fd).size
    const tailStart = Math.max(0, fileSize - TAIL_BYTES)
    const tail = read(fd, tailStart, fileSize - tailStart)
    const end = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
    if (end < 0) throw new Error('no end of central directory: not a zip')
    const count = tail.readUInt16LE(end + 10)
    let at = tail.readUInt32LE(end + 16) - tailStart
    if (at < 0) throw new Error('the central directory is larger than the test reads')
    const entries: ZipEntry[] = []
    for (let i = 0; i < count; i++) {
      if (tail.readUInt32LE(at) !== 0x02014b50) throw new Error(`central directory entry ${i} is malformed`)
      const method = tail.readUInt16LE(at + 10)
      const compressed = tail.readUInt32LE(at + 20)
      const size = tail.readUInt32LE(at + 24)
      const nameLength = tail.readUInt16LE(at + 28)
      const extraLength = tail.readUInt16LE(at + 30)
      const commentLength = tail.readUInt16LE(at + 32)
      const local = tail.readUInt32LE(at + 42)
      const name = tail.subarray(at + 46, at + 46 + nameLength).toString('utf8')
      if (method !== 0 || compressed !== size) throw new Error(`entry ${name} is not stored as is (method ${method})`)
      const header = read(fd, local, 30)
      if (header.readUInt32LE(0) !== 0x04034b50) throw new Error(`entry ${name} has no local header`)
      const dataStart = local + 30 + header.readUInt16LE(26) + header.readUInt16LE(28)
      entries.push({ name, size, sha256: await hashRange(path, dataStart, size) })
      at += 46 + nameLength + extraLength + commentLength
    }
    return entries
  } finally {
    closeSync(fd)
  }
}

function read (fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length)
  readSync(fd, buffer, 0, length, position)
  return buffer
}

async function hashRange (path: string, start: number, size: number): Promise<string> {
  const hash = createHash('sha256')
  if (size > 0) {
    for await (const chunk of createReadStream(path, { start, end: start + size - 1 })) hash.update(chunk as Buffer)
  }
  return hash.digest('hex')
}
