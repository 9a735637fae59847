import type { Connection } from '@libp2p/interface'

/** ICE candidate types (RFC 8445): host, server reflexive, peer reflexive, relayed (TURN). */
export type CandidateType = 'host' | 'srflx' | 'prflx' | 'relay'

/** How a connection's bytes travel, read from WebRTC's selected candidate pair. */
export interface ConnectionPath {
  /** `direct`: peer to peer (host, srflx or prflx on both ends); `turn`: through a TURN server. */
  route: 'direct' | 'turn'
  local: CandidateType
  remote: CandidateType
  /** Transport of the pair: udp, or tcp where only TCP got through. */
  protocol: string
  /** For a relay candidate: how we reach the TURN server (udp, tcp or tls). */
  relayProtocol?: string
}

/** The parts of RTCStats we read (RTCStatsReport is a Map of these). */
interface StatsEntry {
  id: string
  type: string
  selectedCandidatePairId?: string
  localCandidateId?: string
  remoteCandidateId?: string
  candidateType?: string
  protocol?: string
  relayProtocol?: string
  state?: string
  nominated?: boolean
  selected?: boolean
}

const CANDIDATE_TYPES = new Set<string>(['host', 'srflx', 'prflx', 'relay'])

/**
 * The selected candidate pair of a stats report: the transport's
 * selectedCandidatePairId (the standard), else a succeeded, nominated pair.
 */
export function pathFromStats (report: Iterable<StatsEntry>): ConnectionPath | undefined {
  const byId = new Map<string, StatsEntry>()
  for (const entry of report) byId.set(entry.id, entry)
  const entries = [...byId.values()]
  const selectedId = entries.find(e => e.type === 'transport' && e.selectedCandidatePairId != null)?.selectedCandidatePairId
  const pair = (selectedId != null ? byId.get(selectedId) : undefined) ??
    entries.find(e => e.type === 'candidate-pair' && e.selected === true) ??
    entries.find(e => e.type === 'candidate-pair' && e.nominated === true && e.state === 'succeeded')
  if (pair == null) return undefined
  const local = byId.get(pair.localCandidateId ?? '')
  const remote = byId.get(pair.remoteCandidateId ?? '')
  if (local?.candidateType == null || remote?.candidateType == null) return undefined
  if (!CANDIDATE_TYPES.has(local.candidateType) || !CANDIDATE_TYPES.has(remote.candidateType)) return undefined
  const localType = local.candidateType as CandidateType
  const remoteType = remote.candidateType as CandidateType
  return {
    // either end behind TURN means the bytes pass through a TURN server
    route: localType === 'relay' || remoteType === 'relay' ? 'turn' : 'direct',
    local: localType,
    remote: remoteType,
    protocol: local.protocol ?? 'udp',
    ...(local.relayProtocol != null ? { relayProtocol: local.relayProtocol } : {})
  }
}

/**
 * @libp2p/webrtc keeps the RTCPeerConnection on the connection's (private)
 * multiaddr connection. Reached by duck typing, so a library change that moves
 * it makes this return undefined (the UI then says nothing about the path)
 * rather than throw; test/e2e checks that it still finds it.
 */
function peerConnectionOf (connection: Connection): { getStats(): Promise<RTCStatsReport> } | undefined {
  const pc = (connection as unknown as { maConn?: { peerConnection?: unknown } }).maConn?.peerConnection
  return typeof (pc as { getStats?: unknown } | undefined)?.getStats === 'function' ? pc as { getStats(): Promise<RTCStatsReport> } : undefined
}

/** How a WebRTC connection's data flows right now; undefined for other transports or before ICE has chosen. */
export async function describeConnectionPath (connection: Connection): Promise<ConnectionPath | undefined> {
  const pc = peerConnectionOf(connection)
  if (pc == null) return undefined
  try {
    const report = await pc.getStats()
    return pathFromStats([...report.values()] as StatsEntry[])
  } catch {
    return undefined // closed meanwhile
  }
}

/** The path of one peer's connection, as downloads report it. */
export interface PeerPath extends ConnectionPath {
  peer: string
}

/**
 * The paths of the connections a download uses. Each is read once when its
 * stream opens (getStats takes a few ms, so early progress may lack it) and
 * again at the end, since ICE may switch pairs while data flows. Only peers
 * that served a block are reported: a connected peer that lacked the file says
 * nothing about how this file travelled.
 */
export class ConnectionPaths {
  private readonly connections = new Map<string, Connection>()
  private readonly paths = new Map<string, PeerPath>()
  private readonly servedBy = new Set<string>()

  add (peer: string, connection: Connection): void {
    this.connections.set(peer, connection)
    void this.describe(peer, connection)
  }

  /** `peer` delivered a verified block. */
  served (peer: string): void {
    this.servedBy.add(peer)
  }

  current (): PeerPath[] {
    return [...this.paths.values()].filter(path => this.servedBy.has(path.peer))
  }

  /** Read every still-open connection's path again; closed ones keep what was last seen. */
  async final (): Promise<PeerPath[]> {
    await Promise.all([...this.connections].map(async ([peer, connection]) => this.describe(peer, connection)))
    return this.current()
  }

  private async describe (peer: string, connection: Connection): Promise<void> {
    if (connection.status !== 'open') return
    const path = await describeConnectionPath(connection)
    if (path != null) this.paths.set(peer, { peer, ...path })
  }
}
