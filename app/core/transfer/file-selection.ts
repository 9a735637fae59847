import type { SelectionSource } from './run-files.ts'

/** Which files of a transfer to fetch (undefined: all), followed by whichever run is under way. */
export class FileSelection implements SelectionSource {
  private paths: ReadonlySet<string> | undefined
  private readonly listeners = new Set<() => void>()

  constructor (paths?: readonly string[]) {
    this.paths = paths == null ? undefined : new Set(paths)
  }

  current (): ReadonlySet<string> | undefined {
    return this.paths
  }

  list (): string[] | undefined {
    return this.paths == null ? undefined : [...this.paths]
  }

  /** Whether `paths` adds a file the current selection leaves out (every file counts as more than any list). */
  widens (paths: readonly string[] | undefined): boolean {
    if (this.paths == null) return false
    if (paths == null) return true
    return paths.some(path => !(this.paths as ReadonlySet<string>).has(path))
  }

  set (paths: readonly string[] | undefined): void {
    this.paths = paths == null ? undefined : new Set(paths)
    for (const listener of [...this.listeners]) listener()
  }

  subscribe (listener: () => void): () => void {
    this.listeners.add(listener)
    return () => { this.listeners.delete(listener) }
  }
}
