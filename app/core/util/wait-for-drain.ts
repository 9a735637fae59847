import { AbortError, StreamTruncatedError } from '../errors.ts'
import type { Stream, StreamCloseEvent } from '@libp2p/interface'

/**
 * Resolve once `stream` no longer needs a drain; reject with the signal's
 * reason if it aborts first, or with the close error if the stream closes.
 *
 * Not `stream.onDrain()`: in @libp2p/utils 7.4 that caches its promise, so
 * after a stream's first drain every later call resolves at once while the
 * stream is still full. And a muxer reports 'drain' to every stream when the
 * connection drains, also to one whose own window is still shut; so this
 * waits for 'drain' events until `writableNeedsDrain` stays false.
 */
export async function waitForDrain (stream: Stream, signal: AbortSignal): Promise<void> {
  while (stream.writableNeedsDrain) await nextDrain(stream, signal)
}

async function nextDrain (stream: Stream, signal: AbortSignal): Promise<void> {
  signal.throwIfAborted()
  await new Promise<void>((resolve, reject) => {
    const cleanup = (): void => {
      stream.removeEventListener('drain', onDrain)
      stream.removeEventListener('close', onClose)
      signal.removeEventListener('abort', onAbort)
    }
    // registered after the stream's own 'drain' listener, which queues the
    // send of what it buffered first: by the time this resolves, that ran
    const onDrain = (): void => { cleanup(); resolve() }
    const onClose = (evt: StreamCloseEvent): void => { cleanup(); reject(evt.error ?? new StreamTruncatedError('the stream closed while sending')) }
    const onAbort = (): void => { cleanup(); reject(signal.reason ?? new AbortError()) }
    stream.addEventListener('drain', onDrain)
    stream.addEventListener('close', onClose)
    signal.addEventListener('abort', onAbort)
  })
}
