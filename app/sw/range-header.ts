/** A byte range to serve: [start, end), end exclusive. */
export interface ByteRange { start: number, end: number }

/**
 * Parse an HTTP `Range` header (RFC 9110 §14.1.2) against a file of `size`
 * bytes: one range (`a-b`, `a-` or suffix `-n`), clamped to the file.
 * Returns undefined when there is no usable Range (absent, another unit,
 * several ranges, malformed: the whole file is served, as RFC 9110 allows) and
 * 'unsatisfiable' when it starts past the end (416).
 */
export function parseRange (header: string | null, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (header == null) return undefined
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header)
  if (match == null) return undefined
  const [, first, last] = match as unknown as [string, string, string]
  if (first === '' && last === '') return undefined
  if (first === '') {
    const suffix = Number(last)
    if (!Number.isSafeInteger(suffix)) return undefined
    if (suffix === 0 || size === 0) return 'unsatisfiable'
    return { start: Math.max(0, size - suffix), end: size }
  }
  const start = Number(first)
  if (!Number.isSafeInteger(start)) return undefined
  if (start >= size) return 'unsatisfiable'
  if (last === '') return { start, end: size }
  const end = Number(last)
  if (!Number.isSafeInteger(end) || end < start) return undefined
  return { start, end: Math.min(size, end + 1) }
}

export function contentRange (range: ByteRange, size: number): string {
  return `bytes ${range.start}-${range.end - 1}/${size}`
}
