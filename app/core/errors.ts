/**
 * One class per failure. `name` is the contract: the UI maps it to a sentence
 * (app/ui/error-text.ts) and tests assert on it. Messages are written for a
 * person who has to decide what to do next.
 */

export class InvalidCidError extends Error {
  override readonly name = 'InvalidCidError'
  constructor (input: string, reason?: string) {
    super(`"${truncate(input)}" is not a valid CID or share link${reason != null ? ` (${reason})` : ''}`)
  }
}

export class NoProvidersError extends Error {
  override readonly name = 'NoProvidersError'
  /** `cause`: why the peers the DHT still named could not be reached at all (their tabs are closed). */
  constructor (cid: string, cause?: unknown) {
    super(`No peer is sharing ${cid} right now. Ask the sender to keep their tab open and try again.`, { cause })
  }
}

/**
 * The sharer was found (the DHT named it and the relay reached it) but no
 * direct connection could be made: a firewall or strict NAT is in the way.
 * `turnConfigured` says whether a TURN server was offered (if not, adding one
 * is the fix; if so, it could not be reached or used either).
 */
export class NoDirectConnectionError extends Error {
  override readonly name = 'NoDirectConnectionError'
  readonly turnConfigured: boolean
  constructor (cid: string, options: { turnConfigured: boolean, cause?: unknown }) {
    super(`Found a peer sharing ${cid}, but no direct connection to it could be made: a firewall or strict NAT is in the way. ` +
      (options.turnConfigured
        ? 'The relay\'s TURN server could not be used either; try another network.'
        : 'The relay offers no TURN server, which such networks need; its operator can add one.'), { cause: options.cause })
    this.turnConfigured = options.turnConfigured
  }
}

export class ProviderGoneError extends Error {
  override readonly name = 'ProviderGoneError'
  constructor (cid: string, cause?: unknown) {
    super(`Every peer sharing ${cid} went away before the download finished. What arrived is kept; try again to resume.`, { cause })
  }
}

export class RelayUnreachableError extends Error {
  override readonly name = 'RelayUnreachableError'
  constructor (cause?: unknown) {
    super('Could not reach the relay. Check that it is running and that this page can reach it.', { cause })
  }
}

export class QuotaExceededError extends Error {
  override readonly name = 'QuotaExceededError'
  /** Known when the share was refused before it started: bytes it needs, and bytes the browser has free. */
  readonly needed?: number
  readonly free?: number
  constructor (cause?: unknown, room?: { needed: number, free: number }) {
    super(room == null
      ? 'The browser refused to store more data: storage is full. Free some space or delete old shares and try again.'
      : `This needs about ${mb(room.needed)} but the browser lets this page store only ${mb(room.free)} more. Free some space or delete old shares and try again.`, { cause })
    if (room != null) {
      this.needed = room.needed
      this.free = room.free
    }
  }
}

function mb (bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 10e6 ? 1 : 0)} MB`
}

export class BlockVerificationError extends Error {
  override readonly name = 'BlockVerificationError'
  constructor (cid: string) {
    super(`A block did not match its CID ${cid}; it was discarded`)
  }
}

export class UnsupportedContentError extends Error {
  override readonly name = 'UnsupportedContentError'
  constructor (reason: string) {
    super(`This content cannot be handled: ${reason}`)
  }
}

export class NotInLibraryError extends Error {
  override readonly name = 'NotInLibraryError'
  constructor (cid: string) {
    super(`${cid} is not in this browser's library (it was deleted, or never shared or downloaded here)`)
  }
}

/** A path asked for is not a file of that share. */
export class NotInShareError extends Error {
  override readonly name = 'NotInShareError'
  constructor (path: string, cid: string) {
    super(`"${path}" is not a file of the share ${cid}`)
  }
}

/** Blocks were asked for first, but no running download of that share has a peer to ask. */
export class NotDownloadingError extends Error {
  override readonly name = 'NotDownloadingError'
  constructor (cid: string) {
    super(`${cid} is not stored here and is not downloading from anyone right now`)
  }
}

export class BlockNotFoundError extends Error {
  override readonly name = 'BlockNotFoundError'
  constructor (cid: string) {
    super(`Block ${cid} is not stored locally`)
  }
}

/** Which bound of app/core/constants.ts a DAG passed (DagLimitError.limit). */
export type DagLimit = 'depth' | 'links' | 'visits' | 'blocks' | 'bytes' | 'entries'

const DAG_LIMIT_TEXT: Record<DagLimit, (bound: number, claimed?: bigint | number) => string> = {
  depth: bound => `This share is nested more than ${bound} levels deep (folders and file blocks together), deeper than any real file or folder`,
  links: bound => `A block of this share links to more than ${bound} others, more than any real file or folder uses`,
  visits: bound => `This share has more than ${bound} blocks to fetch, more than Chiral fetches for one share`,
  blocks: bound => `This share repeats its blocks more than ${bound} times in all, more than a reader can walk through`,
  bytes: (bound, claimed) => `This share claims ${claimed == null ? 'more than ' + formatBytes(bound) : formatBytes(claimed)} of files, more than the ${formatBytes(bound)} a browser tab can store`,
  entries: bound => `This share holds more than ${bound} files and folders`
}

/**
 * A DAG claims more than Chiral accepts (app/core/constants.ts): deeper, wider,
 * bigger or more repetitive than real content. `limit` says which bound.
 */
export class DagLimitError extends Error {
  override readonly name = 'DagLimitError'
  readonly limit: DagLimit
  /** The bound that was passed. */
  readonly bound: number
  constructor (limit: DagLimit, bound: number, options: { claimed?: bigint | number, cid?: string } = {}) {
    super(`${DAG_LIMIT_TEXT[limit](bound, options.claimed)}${options.cid != null ? ` (block ${options.cid})` : ''}; Chiral will not download or open it.`)
    this.limit = limit
    this.bound = bound
  }
}

/** A DAG's blocks do not fit together: sizes that do not add up, a folder where file data belongs, not UnixFS. */
export class MalformedDagError extends Error {
  override readonly name = 'MalformedDagError'
  /** The block at fault, when one is. */
  readonly cid?: string
  constructor (reason: string, cid?: string) {
    super(`This share is damaged or was built wrongly: ${reason}${cid != null ? ` (block ${cid})` : ''}. Chiral will not download or open it.`)
    if (cid != null) this.cid = cid
  }
}

/** A dropped or picked folder could not be read whole: unreadable, or past the bounds a share has. */
export class FolderReadError extends Error {
  override readonly name = 'FolderReadError'
  readonly reason: 'unreadable' | 'too-many' | 'too-deep'
  /** The bound passed (files, or levels), when one was. */
  readonly bound?: number
  constructor (reason: 'unreadable' | 'too-many' | 'too-deep', options: { bound?: number, path?: string, cause?: unknown } = {}) {
    super(reason === 'unreadable'
      ? `The folder${options.path != null ? ` "${options.path}"` : ''} could not be read`
      : reason === 'too-many' ? `The folder holds more than ${options.bound} files` : `The folder is nested more than ${options.bound} levels deep`, { cause: options.cause })
    this.reason = reason
    if (options.bound != null) this.bound = options.bound
  }
}

/** A peer broke the block protocol: malformed frame, bound exceeded, unexpected message. */
export class ProtocolError extends Error {
  override readonly name = 'ProtocolError'
}

/**
 * This peer already serves as much as its bounds allow (streams per peer or in
 * total, wants in total): the block stream that would pass them is reset. Not
 * the remote peer's fault, unlike a ProtocolError.
 */
export class ServeLimitError extends Error {
  override readonly name = 'ServeLimitError'
  constructor (what: string) {
    super(`Refused to serve more: ${what}`)
  }
}

/** A stream ended while a frame or an answer was still owed: never treat this as end of file. */
export class StreamTruncatedError extends Error {
  override readonly name = 'StreamTruncatedError'
  constructor (what = 'stream ended early') {
    super(`The connection to the peer was cut: ${what}`)
  }
}

export class LimitedConnectionError extends Error {
  override readonly name = 'LimitedConnectionError'
  constructor (peer: string) {
    super(`Only a relayed (limited) connection to ${peer} could be made; blocks are only exchanged directly`)
  }
}

/** This environment lacks what an operation needs (a network check outside a browser, say). */
export class UnsupportedEnvironmentError extends Error {
  override readonly name = 'UnsupportedEnvironmentError'
  constructor (what: string) {
    super(`This browser or runtime has no ${what}, which this needs`)
  }
}

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError'
  constructor (what: string, ms: number) {
    super(`${what} did not finish within ${Math.round(ms / 1000)} s`)
  }
}

export class AbortError extends Error {
  override readonly name = 'AbortError'
  constructor (message = 'The operation was cancelled') {
    super(message)
  }
}

function truncate (s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s
}

/** 1 TiB, 8 PiB: powers of 1,024, as a browser's storage settings show them. */
function formatBytes (bytes: bigint | number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB']
  let value = Number(bytes)
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return unit === 0 ? `${value} bytes` : `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`
}
