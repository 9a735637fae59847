import { formatBytes } from './format.ts'

/**
 * The one place where a failure becomes a sentence a person can act on.
 * Keyed by the error's `name` (the contract of app/core/errors.ts); native
 * DOMExceptions with the same names (QuotaExceededError, AbortError,
 * TimeoutError) read the same way.
 */
const SENTENCES: Record<string, string | ((err: object) => string)> = {
  InvalidCidError: 'That is not a Chiral link or CID. Paste the whole link you were sent (…/#/bafy…) or just the CID.',
  NoProvidersError: 'Nobody is sharing this right now. Ask the sender to keep their Chiral tab open, then try again.',
  NoDirectConnectionError: err => (err as { turnConfigured?: boolean }).turnConfigured === true
    ? 'The sender was found, but no direct connection could be made, not even through the relay\'s TURN server: a firewall or strict NAT is in the way. Try another network (for example a phone hotspot).'
    : 'The sender was found, but no direct connection could be made: a firewall or strict NAT is in the way. The relay\'s operator can fix this by adding a TURN server; meanwhile, try another network.',
  ProviderGoneError: 'The sender went away before the download finished. What arrived is kept: try again to resume.',
  RelayUnreachableError: 'Cannot reach the relay. Check your connection (and that the relay is running), then retry.',
  QuotaExceededError: err => {
    const { needed, free } = err as { needed?: number, free?: number }
    return needed != null && free != null
      ? `This needs about ${formatBytes(needed)}, but your browser lets Chiral store only ${formatBytes(free)} more. Free some disk space (or delete old shares), then try again.`
      : 'Your browser has no storage space left for Chiral. Free some disk space, then try again.'
  },
  DagLimitError: err => {
    const { limit, bound } = err as { limit?: string, bound?: number }
    return limit === 'bytes' && bound != null
      ? `This share says it holds more than ${formatBytes(bound)}, more than a browser tab can store, so it was not downloaded.`
      : 'This share is built in a way no real file or folder is (nested too deep, or too many blocks or files), so it was stopped. It may be an attack on your browser.'
  },
  MalformedDagError: 'This share is damaged or was built wrongly: its blocks do not fit together, so it was not downloaded. Ask the sender to share it again.',
  FolderReadError: err => {
    const { reason, bound } = err as { reason?: string, bound?: number }
    if (reason === 'too-many') return `That folder holds more than ${bound ?? 'the most'} files, more than one share can. Share a smaller folder, or its parts one by one.`
    if (reason === 'too-deep') return `That folder is nested more than ${bound ?? 'the most'} levels deep, more than one share can. Share a part of it.`
    return 'That folder could not be read (the browser was not allowed to, or it changed while it was read). Try again, or pick it with "Choose a folder".'
  },
  InvalidRateError: err => `Type a speed such as 500 KB/s or 2 MB/s (at least ${formatBytes((err as { min?: number }).min ?? 0)}/s), or "off" for no limit.`,
  NotInLibraryError: 'This is no longer in your library (it was deleted, perhaps in another tab).',
  SharedItemsError: err => {
    const { reason, maxFiles } = err as { reason?: string, maxFiles?: number }
    switch (reason) {
      case 'too-many': return `Chiral takes at most ${maxFiles ?? 'a thousand'} files shared from another app at once. Share fewer, or drop them here.`
      case 'storage': return 'The shared files could not be kept: your browser has no storage left for Chiral. Free some disk space, then share them again.'
      case 'lost': return 'The shared files were no longer waiting (another share replaced them, or they waited more than an hour). Share them again.'
      case 'unavailable': return 'Chiral could not take the shared files: its offline part was not running (site data cleared?). It is back now: share them again.'
      case 'empty': return 'Chiral got no files and no Chiral link from the other app. Share files, or a Chiral link someone sent you.'
      default: return 'What the other app shared could not be read. Share it again, or drop the files here.'
    }
  },
  TimeoutError: 'That took too long and was stopped. Check your connection and try again.',
  AbortError: 'Cancelled.'
}

export function errorText (err: unknown): string {
  if (err == null) return ''
  const name = typeof err === 'object' && 'name' in err && typeof err.name === 'string' ? err.name : ''
  const sentence = SENTENCES[name]
  if (typeof sentence === 'function') return sentence(err as object)
  if (sentence != null) return sentence
  if (err instanceof Error || (typeof err === 'object' && 'message' in err && typeof err.message === 'string')) {
    const message = (err as { message: string }).message.trim()
    if (message !== '') return message
  }
  const text = String(err)
  return text === '' || text === '[object Object]' ? 'Something went wrong.' : text
}

export function isAbort (err: unknown): boolean {
  return typeof err === 'object' && err != null && 'name' in err && err.name === 'AbortError'
}
