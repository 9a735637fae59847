/**
 * Browsers give plain http:// a secure context on loopback only, so there
 * alone an http page may run the app and open ws:// (a LAN address is not
 * enough). Both the page check and the libp2p address check ask this.
 */
export function isLoopbackHost (host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h)
}
