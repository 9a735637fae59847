/**
 * A ReadableStream over an async iterator of chunks, pulled: the next chunk is
 * read only when the response's consumer (the download manager, a media
 * element) asks for more, so the reader never runs ahead of the network or
 * the disk. `done` runs once, when the stream ends, fails or is cancelled.
 */
export function pullStream (chunks: AsyncIterator<Uint8Array>, abort: AbortController, done: () => Promise<void>): ReadableStream<Uint8Array> {
  let closed = false
  const finish = async (): Promise<void> => {
    if (closed) return
    closed = true
    await done().catch(() => {})
  }
  return new ReadableStream<Uint8Array>({
    async pull (controller) {
      try {
        for (;;) {
          const next = await chunks.next()
          if (next.done === true) {
            controller.close()
            await finish()
            return
          }
          if (next.value.byteLength > 0) {
            controller.enqueue(next.value)
            return
          }
        }
      } catch (err) {
        controller.error(err)
        await finish()
      }
    },
    async cancel () {
      abort.abort()
      await chunks.return?.(undefined).catch(() => undefined)
      await finish()
    }
  }, { highWaterMark: 1 }) // one chunk queued: the reader's read-ahead is the only buffer
}
