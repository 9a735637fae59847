import { createHash } from 'node:crypto'

/** Deterministic pseudo-random bytes: tests need content that differs per block without fixtures. */
export function patternBytes (length: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

export async function * chunked (bytes: Uint8Array, size = 100_000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size)
}

export async function collect (source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  for await (const part of source) { parts.push(part); length += part.byteLength }
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) { out.set(part, offset); offset += part.byteLength }
  return out
}

/** Compare large byte arrays by digest: deep equality on 45 MB arrays exhausts the heap. */
export async function sha256Hex (bytes: Uint8Array): Promise<string> {
  return createHash('sha256').update(bytes).digest('hex')
}
