import type { CandidateType } from '../../app/core/network/connection-path.ts'

/** A host in the lab: its home (standard-lab.ts HOMES) and its number there. */
export interface LabHost {
  home: string
  host: number
}

interface CaseBase {
  name: string
  sharer: LabHost
  downloader: LabHost
  /**
   * `turn`: the relay names STUN and TURN; `stun-only`: it names STUN but no
   * TURN; `tls`: STUN and TURN from a relay on one TLS port reached by name, as
   * deployed on the internet (browsers refuse private addresses there).
   */
  relay: 'turn' | 'stun-only' | 'tls'
}

/** The download must complete, over a path like this (seen from the downloader). */
export interface PathCase extends CaseBase {
  expect: {
    route: 'direct' | 'turn'
    local?: CandidateType[]
    remote?: CandidateType[]
    /** How the downloader reaches the TURN server. */
    relayProtocol?: string
  }
}

/** No path exists: the download must end with this error, in time. */
export interface FailureCase extends CaseBase {
  expectError: { name: string, withinMs: number }
}

export type NatCase = PathCase | FailureCase

/** The "within 20 s". */
export const NO_PATH_DEADLINE_MS = 20_000

export const NAT_CASES: NatCase[] = [
  {
    name: 'same LAN: direct host pair',
    sharer: { home: 'A', host: 1 },
    downloader: { home: 'A', host: 2 },
    relay: 'turn',
    // the sharer's host address often arrives as a peer-reflexive candidate (its check beats its signalling)
    expect: { route: 'direct', local: ['host'], remote: ['host', 'prflx'] }
  },
  {
    name: 'two home routers (EIM/EIM): direct through both NATs, via STUN',
    sharer: { home: 'A', host: 1 },
    downloader: { home: 'B', host: 1 },
    relay: 'turn',
    expect: { route: 'direct', local: ['srflx', 'prflx'], remote: ['srflx', 'prflx'] }
  },
  {
    name: 'home router and symmetric NAT (EIM/symmetric): TURN',
    sharer: { home: 'A', host: 1 },
    downloader: { home: 'C', host: 1 },
    relay: 'turn',
    expect: { route: 'turn' }
  },
  {
    name: 'two symmetric NATs: TURN',
    sharer: { home: 'C', host: 1 },
    downloader: { home: 'D', host: 1 },
    relay: 'turn',
    expect: { route: 'turn' }
  },
  {
    name: 'a network that drops all UDP: TURN over TCP',
    sharer: { home: 'A', host: 1 },
    downloader: { home: 'E', host: 1 },
    relay: 'turn',
    expect: { route: 'turn', local: ['relay'], relayProtocol: 'tcp' }
  },
  {
    name: 'as on the internet: a TLS relay reached by name (wss), home router and symmetric NAT via TURN',
    sharer: { home: 'B', host: 1 },
    downloader: { home: 'D', host: 1 },
    relay: 'tls',
    expect: { route: 'turn' }
  },
  {
    name: 'two symmetric NATs and no TURN server: a clear error in time',
    sharer: { home: 'C', host: 1 },
    downloader: { home: 'D', host: 1 },
    relay: 'stun-only',
    expectError: { name: 'NoDirectConnectionError', withinMs: NO_PATH_DEADLINE_MS }
  }
]
