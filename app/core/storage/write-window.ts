/**
 * Lets a writer go on while its last few writes are still being committed, so
 * a store that commits in shared transactions gets a full batch from a single
 * writer (the importer awaits each put). At most `limit` writes are
 * outstanding: the next one waits for the oldest, so memory stays bounded. The
 * first failure is thrown by the next `add` or by `drain`.
 */
export class WriteWindow {
  private readonly outstanding: Array<Promise<void>> = []
  private failure: Error | undefined
  private readonly limit: number

  constructor (limit: number) {
    this.limit = limit
  }

  async add (write: Promise<void>): Promise<void> {
    this.throwIfFailed()
    write.catch((err: unknown) => { this.failure ??= err as Error })
    this.outstanding.push(write)
    while (this.outstanding.length > this.limit) await this.settleOldest()
    this.throwIfFailed()
  }

  /** Every write committed; throws the first failure. */
  async drain (): Promise<void> {
    while (this.outstanding.length > 0) await this.settleOldest()
    this.throwIfFailed()
  }

  private async settleOldest (): Promise<void> {
    await this.outstanding.shift()?.catch(() => {})
  }

  private throwIfFailed (): void {
    if (this.failure != null) throw this.failure
  }
}
