import type { JSX } from 'solid-js'
import { statusText } from '../format.ts'
import { usePeer } from '../kernel/peer-context.tsx'
import { StatusLine, type StatusTone } from './status-line.tsx'

/** The status line once the peer exists: follows its status events. */
export function PeerStatusLine (): JSX.Element {
  const { peer, status } = usePeer()
  const tone = (): StatusTone => {
    switch (status()) {
      case 'ready': return 'ready'
      case 'connected': return 'connected'
      case 'offline': return 'offline'
      default: return 'pending'
    }
  }
  return <StatusLine text={statusText(status())} tone={tone()} peerId={peer.peerId} />
}
