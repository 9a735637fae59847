/** A network check in words: one verdict, then what was found, item by item. */
import type { NetworkCheck } from '../core/network/ice-check.ts'

export interface NetworkCheckItem {
  /** Stable key for tests (`host`, `srflx`, `turn-udp`...). */
  key: string
  label: string
  ok: boolean
  /** Shown after the label, e.g. the public address, or why a check could not pass. */
  detail?: string
}

export function networkVerdict (check: NetworkCheck): string {
  const turn = check.relay.udp || check.relay.tcp || check.relay.tls
  if (turn) return 'You can reach anyone: directly where both networks allow it, through the relay\'s TURN server otherwise.'
  if (check.srflx) {
    return check.offered.turn
      ? 'Direct connections work across most home networks, but the relay\'s TURN server could not be reached from here (a firewall may block it): peers behind strict NATs cannot be reached.'
      : 'Direct connections work across most home networks; peers behind strict NATs (mobile, many offices) need a TURN server, which this relay does not offer.'
  }
  if (check.offered.stun || check.offered.turn) {
    return 'Only peers on your own network can be reached: the relay\'s STUN/TURN servers did not answer from here (a firewall may block UDP and their ports).'
  }
  return 'Only peers on your own network can be reached: this relay offers no STUN or TURN server.'
}

export function networkItems (check: NetworkCheck): NetworkCheckItem[] {
  const items: NetworkCheckItem[] = [
    { key: 'host', label: 'Local network address', ok: check.host },
    {
      key: 'srflx',
      label: 'Public address (STUN)',
      ok: check.srflx,
      ...(check.srflx ? (check.publicAddress != null ? { detail: check.publicAddress } : {}) : { detail: check.offered.stun ? 'no answer' : 'not offered by the relay' })
    }
  ]
  if (!check.offered.turn) {
    items.push({ key: 'turn', label: 'TURN server', ok: false, detail: 'not offered by the relay' })
    return items
  }
  for (const transport of ['udp', 'tcp', 'tls'] as const) {
    if (!check.offered.turnTransports[transport]) continue
    const ok = check.relay[transport]
    items.push({ key: `turn-${transport}`, label: `TURN server over ${transport.toUpperCase()}`, ok, ...(ok ? {} : { detail: 'not reached: a firewall may block it' }) })
  }
  return items
}
