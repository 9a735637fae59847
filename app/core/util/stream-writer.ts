import { waitForDrain } from './wait-for-drain.ts'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

const NEVER = new AbortController().signal

/** Send with backpressure: wait for the transport to drain instead of growing its buffer. */
export async function sendWithBackpressure (stream: Stream, data: Uint8Array | Uint8ArrayList, signal: AbortSignal = NEVER): Promise<void> {
  if (!stream.send(data)) await waitForDrain(stream, signal)
}
