import { ICE_CHECK_TIMEOUT_MS } from '../constants.ts'
import { UnsupportedEnvironmentError } from '../errors.ts'
import { parseIceUrl } from '../protocol/ice-url.ts'
import type { AbortOptions } from '@libp2p/interface'

/** What this browser's network lets WebRTC gather with the relay's ICE servers. */
export interface NetworkCheck {
  /** A local address (host candidate): peers on the same network can connect. */
  host: boolean
  /** STUN answered (server-reflexive candidate): a public address, so most NATs can be crossed. */
  srflx: boolean
  /** The public address STUN saw, when it answered. */
  publicAddress?: string
  /** TURN allocations that succeeded, by how the TURN server was reached. */
  relay: { udp: boolean, tcp: boolean, tls: boolean }
  /** What the relay offered: without STUN or TURN some results above cannot be true. */
  offered: { stun: boolean, turn: boolean, turnTransports: { udp: boolean, tcp: boolean, tls: boolean } }
  /** Gathering finished before ICE_CHECK_TIMEOUT_MS (else the results are what arrived in time). */
  complete: boolean
}

interface CandidateLike {
  type?: string | null
  relayProtocol?: string | null
  address?: string | null
}

/**
 * Fold gathered candidates into a check result (pure, for tests). Chromium
 * names a relay candidate's TURN transport only for TCP and TLS (seen: null for
 * an allocation over UDP), so an unnamed one is UDP, TURN's default.
 */
export function summarizeCandidates (candidates: CandidateLike[], offered: NetworkCheck['offered'], complete: boolean): NetworkCheck {
  const relayed = candidates.filter(c => c.type === 'relay').map(c => ({ ...c, relayProtocol: c.relayProtocol ?? 'udp' }))
  const srflx = candidates.find(c => c.type === 'srflx')
  return {
    host: candidates.some(c => c.type === 'host'),
    srflx: srflx != null,
    ...(srflx?.address != null ? { publicAddress: srflx.address } : {}),
    relay: {
      udp: relayed.some(c => c.relayProtocol === 'udp'),
      tcp: relayed.some(c => c.relayProtocol === 'tcp'),
      tls: relayed.some(c => c.relayProtocol === 'tls')
    },
    offered,
    complete
  }
}

/** Which STUN/TURN services a list of ICE URLs offers, and TURN over which transports. */
export function offeredBy (urls: string[]): NetworkCheck['offered'] {
  const parsed = urls.map(parseIceUrl).filter(u => u != null)
  const turn = parsed.filter(u => u.kind === 'turn')
  const turnTransports = {
    udp: turn.some(u => u.transport === 'udp'),
    tcp: turn.some(u => u.transport === 'tcp'),
    tls: turn.some(u => u.transport === 'tls')
  }
  return { stun: parsed.some(u => u.kind === 'stun'), turn: turn.length > 0, turnTransports }
}

/**
 * Gather ICE candidates once, as a connection would, and report what came
 * back: the user's (or operator's) answer to "can this browser reach peers
 * across the internet?". Takes one TURN allocation per TURN URL, freed at once.
 */
export async function checkNetwork (config: RTCConfiguration, options: AbortOptions = {}): Promise<NetworkCheck> {
  if (typeof globalThis.RTCPeerConnection !== 'function') throw new UnsupportedEnvironmentError('WebRTC (RTCPeerConnection)')
  const urls = (config.iceServers ?? []).flatMap(server => Array.isArray(server.urls) ? server.urls : [server.urls])
  const offered = offeredBy(urls)
  const pc = new RTCPeerConnection(config)
  const candidates: RTCIceCandidate[] = []
  try {
    const complete = await new Promise<boolean>((resolve, reject) => {
      const timer = setTimeout(() => { finish(false) }, ICE_CHECK_TIMEOUT_MS)
      const onAbort = (): void => { clearTimeout(timer); reject(options.signal?.reason) }
      const finish = (done: boolean): void => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        resolve(done)
      }
      if (options.signal?.aborted === true) { onAbort(); return }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      pc.onicecandidate = ({ candidate }) => {
        if (candidate == null) finish(true)
        else if (candidate.candidate !== '') candidates.push(candidate)
      }
      pc.createDataChannel('network-check')
      pc.createOffer().then(async offer => { await pc.setLocalDescription(offer) }).catch(reject)
    })
    return summarizeCandidates(candidates, offered, complete)
  } finally {
    pc.close()
  }
}
