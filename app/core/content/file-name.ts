const FALLBACK_NAME = 'file'
const MAX_NAME_BYTES = 255

/**
 * File names come from other peers: strip anything that could escape a folder,
 * hide a file, or confuse a shell or a Content-Disposition header.
 */
export function sanitizeFileName (name: string): string {
  let clean = name
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}]/gu, '') // control and invisible format characters (RTL overrides...)
    .replace(/[/\\:*?"<>|]/g, '_') // path separators and characters Windows forbids
    .trim()
    .replace(/^\.+/, '') // no hidden files, no "." or ".."
    .replace(/[. ]+$/, '') // Windows drops trailing dots and spaces
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(clean)) clean = `_${clean}`
  while (new TextEncoder().encode(clean).byteLength > MAX_NAME_BYTES) clean = Array.from(clean).slice(0, -1).join('')
  return clean === '' ? FALLBACK_NAME : clean
}
