/**
 * `Content-Disposition: attachment` for a file name of any script (RFC 6266):
 * an ASCII `filename` for old clients and a UTF-8 `filename*` (RFC 8187)
 * that modern browsers prefer. `name` must already be sanitized.
 */
export function contentDisposition (name: string): string {
  return `attachment; filename="${asciiFallback(name)}"; filename*=UTF-8''${encodeRfc8187(name)}`
}

/** Printable ASCII only, without the characters a quoted-string must escape. */
export function asciiFallback (name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // drop combining marks: é -> e
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_')
    .trim()
  return ascii === '' ? 'download' : ascii
}

/** Percent-encode everything outside RFC 8187 attr-char. */
export function encodeRfc8187 (value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Last segment of a share path: the name the user sees. */
export function baseName (path: string): string {
  const parts = path.split('/').filter(p => p !== '')
  return parts[parts.length - 1] ?? path
}
