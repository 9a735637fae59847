/**
 * What the relay advertises, in order of preference:
 * 1. --announce, exactly as given;
 * 2. with TLS, /dns4/<name>/tcp/<port>/tls/ws for every DNS name of the
 *    certificate (the names browsers will accept it for; wildcards skipped, as
 *    nobody can dial "*.example.com");
 * 3. nothing: libp2p then advertises the listen addresses.
 * `/tls/ws` is how @libp2p/websockets writes a secure WebSocket (its own
 * listener announces that form); browsers dial it as wss://<name>:<port>, and
 * their default connection gater lets it through (it only refuses plain /ws).
 */
export function announceAddresses (init: { announce: readonly string[], port: number, tlsDnsNames?: readonly string[] }): string[] {
  if (init.announce.length > 0) return [...init.announce]
  return dialableNames(init.tlsDnsNames).map(name => `/dns4/${name}/tcp/${init.port}/tls/ws`)
}

/** The URL to print: the certificate's first dialable name with TLS, else the listen host. */
export function relayUrl (init: { host: string, port: number, tlsDnsNames?: readonly string[] }): string {
  const secure = init.tlsDnsNames != null
  const name = dialableNames(init.tlsDnsNames)[0] ?? browserHost(init.host)
  // URL drops the default port (443 for https, 80 for http)
  return new URL(`${secure ? 'https' : 'http'}://${name}:${init.port}`).origin
}

function dialableNames (names: readonly string[] | undefined): string[] {
  return (names ?? []).filter(name => !name.includes('*'))
}

/** A URL host a browser can open: the unspecified address becomes localhost (a secure context). */
function browserHost (host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost'
  return host.includes(':') ? `[${host}]` : host
}
