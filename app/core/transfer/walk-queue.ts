import { positionKey, type DagPosition } from './dag-position.ts'
import type { OwnedPosition, RunFiles } from './run-files.ts'

/**
 * The positions a run has yet to check against the store, as two stacks
 * (each depth first, so each stays small): structure (folders, shards, file
 * roots) first, so the file tree shows before the data; file data (parts, raw
 * entries) only while no structure block is wanted, file by file in the order
 * the files were found (tree order: the first file completes first), each
 * file's own parts depth first. An unpicked file's data
 * is held by RunFiles, and its wants already made are withdrawn when the pick
 * changes.
 */
export class WalkQueue {
  private readonly files: RunFiles
  private readonly structure: OwnedPosition[] = []
  /** Each file's data positions, as a stack per file; files in the order they came. */
  private readonly data = new Map<string, OwnedPosition[]>()
  private dataCount = 0
  /** Structure blocks asked for and not yet here: data waits for them. */
  private structureWanted = 0
  /** File data asked for and not yet here, by positionKey: an unpicked file's is withdrawn. */
  private readonly dataWants = new Map<string, OwnedPosition>()

  constructor (files: RunFiles) {
    this.files = files
  }

  /** Positions waiting to be checked. */
  get size (): number { return this.structure.length + this.dataCount }

  /** Whether take() would give something now. */
  get ready (): boolean { return this.structure.length > 0 || (this.structureWanted === 0 && this.dataCount > 0) }

  push (position: OwnedPosition): void {
    if (this.files.isStructure(position)) this.structure.push(position)
    else this.pushData(position)
  }

  /** Up to `room` positions to check: structure first; data only when no structure is wanted (unpicked files' data is held). */
  take (room: number): OwnedPosition[] {
    const batch: OwnedPosition[] = []
    while (batch.length < room && this.structure.length > 0) batch.push(this.structure.pop() as OwnedPosition)
    const dataRoom = batch.length === 0 && this.structureWanted === 0 ? room : 0
    while (batch.length < dataRoom && this.dataCount > 0) {
      const position = this.popData()
      if (!this.files.park(position)) batch.push(position)
    }
    return batch
  }

  private pushData (position: OwnedPosition): void {
    const file = position.file ?? ''
    const stack = this.data.get(file)
    if (stack != null) stack.push(position)
    else this.data.set(file, [position])
    this.dataCount++
  }

  /** The top of the first file's stack (a Map keeps insertion order); a file with nothing left goes. */
  private popData (): OwnedPosition {
    const [file, stack] = this.data.entries().next().value as [string, OwnedPosition[]]
    const position = stack.pop() as OwnedPosition
    if (stack.length === 0) this.data.delete(file)
    this.dataCount--
    return position
  }

  /** `position` was asked of the swarm (a new want, not merged into one waiting). */
  wanted (position: OwnedPosition): void {
    if (this.files.isStructure(position)) this.structureWanted++
    else if (position.file != null) this.dataWants.set(positionKey(position), position)
  }

  /** `position`'s block arrived. */
  arrived (position: DagPosition): void {
    if (this.files.isStructure(position)) this.structureWanted--
    else this.dataWants.delete(positionKey(position))
  }

  /**
   * The pick changed: held data of newly picked files comes back, and wants of
   * unpicked files are withdrawn through `unwant` (which returns the position
   * as it waited, or undefined when it is no longer waiting). Returns how many
   * wants were withdrawn.
   */
  reselect (unwant: (position: OwnedPosition) => DagPosition | undefined): number {
    for (const position of this.files.release()) this.pushData(position)
    let withdrawn = 0
    for (const [key, position] of this.dataWants) {
      if (this.files.selected(position.file)) continue
      const waited = unwant(position)
      if (waited == null) continue
      this.dataWants.delete(key)
      withdrawn++
      this.pushData({ ...waited, file: position.file }) // held once taken again
    }
    return withdrawn
  }
}
