import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

/** Send with backpressure: wait for the transport to drain instead of growing its buffer. */
export async function sendWithBackpressure (stream: Stream, data: Uint8Array | Uint8ArrayList, signal?: AbortSignal): Promise<void> {
  if (!stream.send(data)) await stream.onDrain({ signal })
}
