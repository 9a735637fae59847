import { positionKey, type DagPosition } from './dag-position.ts'
import type { OwnedPosition, RunFiles } from './run-files.ts'

/**
 * The positions a run has yet to check against the store, as two stacks
 * (each depth first, so each stays small): structure (folders, shards, file
 * roots) first, so the file tree shows before the data; file data (parts, raw
 * entries) only while no structure block is wanted. An unpicked file's data
 * is held by RunFiles, and its wants already made are withdrawn when the pick
 * changes.
 */
export class WalkQueue {
  private readonly files: RunFiles
  private readonly structure: OwnedPosition[] = []
  private readonly data: OwnedPosition[] = []
  /** Structure blocks asked for and not yet here: data waits for them. */
  private structureWanted = 0
  /** File data asked for and not yet here, by positionKey: an unpicked file's is withdrawn. */
  private readonly dataWants = new Map<string, OwnedPosition>()

  constructor (files: RunFiles) {
    this.files = files
  }

  /** Positions waiting to be checked. */
  get size (): number { return this.structure.length + this.data.length }

  /** Whether take() would give something now. */
  get ready (): boolean { return this.structure.length > 0 || (this.structureWanted === 0 && this.data.length > 0) }

  push (position: OwnedPosition): void {
    if (this.files.isStructure(position)) this.structure.push(position)
    else this.data.push(position)
  }

  /** Up to `room` positions to check: structure first; data only when no structure is wanted (unpicked files' data is held). */
  take (room: number): OwnedPosition[] {
    const batch: OwnedPosition[] = []
    while (batch.length < room && this.structure.length > 0) batch.push(this.structure.pop() as OwnedPosition)
    const dataRoom = batch.length === 0 && this.structureWanted === 0 ? room : 0
    while (batch.length < dataRoom && this.data.length > 0) {
      const position = this.data.pop() as OwnedPosition
      if (!this.files.park(position)) batch.push(position)
    }
    return batch
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
    for (const position of this.files.release()) this.data.push(position)
    let withdrawn = 0
    for (const [key, position] of this.dataWants) {
      if (this.files.selected(position.file)) continue
      const waited = unwant(position)
      if (waited == null) continue
      this.dataWants.delete(key)
      withdrawn++
      this.data.push({ ...waited, file: position.file }) // held once taken again
    }
    return withdrawn
  }
}
