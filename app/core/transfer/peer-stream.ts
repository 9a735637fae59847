import type { Connection, Stream } from '@libp2p/interface'

/** A block stream opened to a provider over a direct connection. */
export interface PeerStream {
  peer: string
  stream: Stream
  /** The connection the stream runs on, for diagnostics (how the data flows). */
  connection?: Connection
}
