/** Wake a waiting loop; a wake before the wait is not lost. */
export class Wakeup {
  private pending = false
  private resolve: (() => void) | undefined

  wake (): void {
    this.pending = true
    this.resolve?.()
  }

  async wait (): Promise<void> {
    if (!this.pending) await new Promise<void>(resolve => { this.resolve = resolve })
    this.resolve = undefined
    this.pending = false
  }
}
