import { sanitizeFileName } from './file-name.ts'

/**
 * The names of one folder, made safe (sanitizeFileName) and unique in the
 * order they are placed: a second "a.txt" becomes "a (1).txt". Files and
 * folders share one namespace, as on every file system. Case is kept as it
 * is (a share must keep Kubo's CID, and zip entries may differ in case).
 */
export class FolderNames {
  private readonly taken = new Set<string>()

  /** The safe, unique name for `raw` in this folder. */
  place (raw: string): string {
    const safe = sanitizeFileName(raw)
    let candidate = safe
    for (let n = 1; this.taken.has(candidate); n++) {
      const dot = safe.lastIndexOf('.')
      candidate = dot > 0 ? `${safe.slice(0, dot)} (${n})${safe.slice(dot)}` : `${safe} (${n})`
    }
    this.taken.add(candidate)
    return candidate
  }
}

/** Segments of a relative path a sender gave ('photos/2024/a.jpg'); empty and '.' segments say nothing. */
export function pathSegments (path: string): string[] {
  return path.split(/[/\\]/).filter(segment => segment !== '' && segment !== '.')
}
