import { BLOCK_CHANNEL_OPEN_TIMEOUT_MS } from '../constants.ts'
import { acceptBlockChannel, channelHostOf, maxMessageBytes, openBlockChannel, type ChannelHost, type DataChannel } from './block-channel.ts'
import { ChannelReader } from './channel-reader.ts'
import { ChannelWriter } from './channel-writer.ts'
import { BLOCK_PROTOCOL } from './protocols.ts'
import type { Connection, Stream } from '@libp2p/interface'

/** A block channel a client created and offers on its stream (protocol/block-codec.ts, CHANNEL). */
export interface OfferedChannel {
  channel: DataChannel
  /** Reads the channel from its creation, so answers sent before the sharer's reply is read are kept. */
  reader: ChannelReader
}

/** Client: a block channel for `stream`, when it speaks BLOCK_PROTOCOL over a direct WebRTC connection; otherwise undefined. */
export function offerBlockChannel (connection: Connection | undefined, stream: Pick<Stream, 'protocol'>): OfferedChannel | undefined {
  if (stream.protocol !== BLOCK_PROTOCOL) return undefined
  const host = channelHostOf(connection)
  const channel = host == null ? undefined : openBlockChannel(host)
  if (channel == null) return undefined
  return { channel, reader: new ChannelReader(channel) }
}

/**
 * Server: our end of the channel a client offered, open and ready to send;
 * undefined when there is no peer connection under the stream, the id is not
 * one the client may pick, or the channel does not open in time.
 */
export async function acceptChannelWriter (host: ChannelHost | undefined, id: number, signal: AbortSignal): Promise<ChannelWriter | undefined> {
  const channel = host == null ? undefined : acceptBlockChannel(host, id)
  if (host == null || channel == null) return undefined
  if (!await opened(channel, AbortSignal.any([signal, AbortSignal.timeout(BLOCK_CHANNEL_OPEN_TIMEOUT_MS)]))) {
    channel.close()
    return undefined
  }
  return new ChannelWriter(channel, maxMessageBytes(host))
}

async function opened (channel: DataChannel, signal: AbortSignal): Promise<boolean> {
  if (channel.readyState === 'open') return true
  if (channel.readyState !== 'connecting' || signal.aborted) return false
  return new Promise(resolve => {
    const done = (open: boolean) => (): void => {
      channel.removeEventListener('open', onOpen)
      channel.removeEventListener('close', onClose)
      signal.removeEventListener('abort', onAbort)
      resolve(open)
    }
    const onOpen = done(true)
    const onClose = done(false)
    const onAbort = done(false)
    channel.addEventListener('open', onOpen)
    channel.addEventListener('close', onClose)
    signal.addEventListener('abort', onAbort)
  })
}
