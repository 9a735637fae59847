import * as raw from 'multiformats/codecs/raw'
import { ShareTree, type TreeFile } from '../content/share-tree.ts'
import type { DagPosition } from './dag-position.ts'
import type { CID } from 'multiformats/cid'
import type { TransferFile } from '../types.ts'

/** A position with the file it belongs to (a file root's parts, or a raw entry itself). */
export type OwnedPosition = DagPosition & { readonly file?: string }

/** Which files the person wants; the transfer owns it, a run follows it. */
export interface SelectionSource {
  /** Safe paths wanted; undefined: every file. */
  current(): ReadonlySet<string> | undefined
  /** `listener` runs on every change; returns how to stop listening. */
  subscribe(listener: () => void): () => void
}

/** What a run tells its transfer about files, and what steers it. */
export interface RunFilesHooks {
  selection?: SelectionSource
  /** The tree or a file's state changed (called at most once per progress tick, and at the end). */
  onFiles?(files: TransferFile[]): void
}

/**
 * One run's view of the share's files: the tree as its blocks arrive
 * (ShareTree), which blocks are structure (folders, shards, file roots:
 * fetched first, so the tree shows before the data), which data positions
 * wait because their file is not selected, and which files are complete.
 */
export class RunFiles {
  readonly tree: ShareTree
  private readonly selection: SelectionSource | undefined
  /** Data positions of unselected files, by file CID. */
  private readonly parked = new Map<string, OwnedPosition[]>()
  private readonly complete = new Set<string>()
  /** Parts of each file (by its root CID) known and not stored yet. */
  private readonly pending = new Map<string, number>()
  /** File roots (dag-pb) stored: a file is complete when its root is and no part is pending. */
  private readonly rootsStored = new Set<string>()
  private ended = false
  private version = 0
  private shown = -1
  private told = false

  constructor (root: CID, selection: SelectionSource | undefined) {
    this.tree = new ShareTree(root)
    this.selection = selection
  }

  /** Folders, shards and entries of unknown kind: what the tree needs. Raw entries and file parts are data. */
  isStructure (position: DagPosition): boolean {
    return position.role === 'shard' || (position.role === 'entry' && position.cid.code !== raw.code)
  }

  /** `child` of `parent`, marked with the file it belongs to. */
  own (parent: OwnedPosition, child: DagPosition): OwnedPosition {
    if (child.role === 'part') {
      const file = parent.role === 'entry' ? parent.cid.toString() : parent.file as string
      this.pending.set(file, (this.pending.get(file) ?? 0) + 1)
      return { ...child, file }
    }
    if (child.role === 'entry' && child.cid.code === raw.code) return { ...child, file: child.cid.toString() }
    return child
  }

  /** Whether any path of this file is selected (a file's content may sit at several paths). */
  selected (file: string | undefined): boolean {
    const paths = this.selection?.current()
    if (paths == null || file == null) return true
    return this.tree.filesOf(file).some(f => paths.has(f.path))
  }

  /** Hold a data position whose file is not selected; returns whether it was held. */
  park (position: OwnedPosition): boolean {
    if (this.selected(position.file)) return false
    const file = position.file as string
    const held = this.parked.get(file) ?? []
    held.push(position)
    this.parked.set(file, held)
    return true
  }

  /** The held positions whose file is selected now (after the selection widened). */
  release (): OwnedPosition[] {
    const out: OwnedPosition[] = []
    for (const [file, positions] of this.parked) {
      if (!this.selected(file)) continue
      this.parked.delete(file)
      out.push(...positions)
    }
    this.version++
    return out
  }

  /** True once, when the tree has just become whole: the person sees the full list (and the total) at once. */
  wholeNow (): boolean {
    if (this.told || !this.tree.complete) return false
    this.told = true
    return true
  }

  /** Whether a pick is in force (not every file is wanted). */
  get picking (): boolean { return this.selection?.current() != null }

  /** Whether some files' data was left out (a selection): the share is not whole. */
  get partial (): boolean { return this.parked.size > 0 }

  /**
   * A position is stored (after its children, if any, were owned): a raw
   * entry is a whole file; a file is complete once its root and every part
   * under it are stored, so Save is offered for it while the rest still runs.
   */
  stored (position: OwnedPosition): void {
    let file: string | undefined
    if (position.role === 'entry') {
      file = position.cid.toString()
      if (position.cid.code !== raw.code) this.rootsStored.add(file)
    } else if (position.role === 'part' && position.file != null) {
      file = position.file
      this.pending.set(file, (this.pending.get(file) ?? 1) - 1)
    }
    if (file == null || this.complete.has(file) || (this.pending.get(file) ?? 0) > 0) return
    const wholeRawEntry = position.role === 'entry' && position.cid.code === raw.code
    if (!wholeRawEntry && !this.rootsStored.has(file)) return
    if (this.tree.filesOf(file).length === 0) return // a folder, not a file
    this.complete.add(file)
    this.version++
  }

  /** The run fetched everything it was not holding back: every other file is complete. */
  end (): void {
    this.ended = true
    this.version++
  }

  /** File bytes of the selected files (every file without a selection), once the tree is whole: the total before the data is here. */
  selectedBytes (): number | undefined {
    if (!this.tree.complete) return undefined
    const paths = this.selection?.current()
    return this.tree.files().filter(f => paths?.has(f.path) ?? true).reduce((sum, f) => sum + f.size, 0)
  }

  /** Tell the transfer, when anything changed since it was last told. */
  show (hook: RunFilesHooks['onFiles']): void {
    const version = this.version + this.tree.changes
    if (hook == null || version === this.shown) return
    this.shown = version
    hook(this.snapshot())
  }

  snapshot (): TransferFile[] {
    return this.tree.files().map(file => this.view(file))
  }

  private view (file: TreeFile): TransferFile {
    const complete = this.complete.has(file.cid) || (this.ended && !this.parked.has(file.cid))
    const out: TransferFile = { path: file.path, size: file.size, cid: file.cid, complete, selected: this.selection?.current()?.has(file.path) ?? true }
    if (file.original != null) out.original = file.original
    return out
  }
}
