import type { IceUrl } from '../../app/core/protocol/ice-url.ts'

export { parseIceUrl, type IceUrl } from '../../app/core/protocol/ice-url.ts'

/** "UDP", "TCP", "TLS": what a browser behind a given firewall needs to get through. */
export function transportLabel (transport: IceUrl['transport']): string {
  return transport.toUpperCase()
}
