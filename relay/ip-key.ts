import { isIP } from 'node:net'

/**
 * Bits of an IPv6 address that name one subscriber. ISPs hand each home or
 * phone a whole /64 (and its devices pick addresses in it at will), so
 * counting single IPv6 addresses would let one host take every slot.
 */
export const IPV6_SUBSCRIBER_PREFIX_BITS = 64

/**
 * The key per-address limits count under: an IPv4 address as it is (also when
 * it arrives IPv4-mapped, `::ffff:1.2.3.4`), an IPv6 address as its /64 prefix
 * (`2001:db8:1:2::/64`). Anything unparseable counts under itself.
 */
export function ipKey (address: string): string {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1]
  if (mapped != null) return mapped
  if (isIP(bare) !== 6) return bare
  const groups = expandIpv6(bare)
  const kept = groups.slice(0, IPV6_SUBSCRIBER_PREFIX_BITS / 16).map(g => g.toString(16))
  return `${kept.join(':')}::/${IPV6_SUBSCRIBER_PREFIX_BITS}`
}

/** The eight 16-bit groups of a valid IPv6 address (`::` and a trailing dotted IPv4 expanded). */
function expandIpv6 (address: string): number[] {
  let text = address
  const v4 = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (v4 != null) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number]
    text = text.slice(0, v4.index) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined]
  const parse = (part: string): number[] => part === '' ? [] : part.split(':').map(g => parseInt(g, 16))
  const front = parse(head)
  if (tail == null) return front
  const back = parse(tail)
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
}
