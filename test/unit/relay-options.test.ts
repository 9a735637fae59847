import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { formatLimit, LIMIT_FLAGS } from '../../relay/limit-flags.ts'
import { DEFAULT_LIMITS } from '../../relay/limits.ts'
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_TURN_MINTS_PER_HOUR, DEFAULT_TURN_TTL_SECONDS, parseRelayOptions, RELAY_HELP } from '../../relay/options.ts'

function usageError (fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    expect((err as Error).name).toBe('UsageError')
    expect((err as { exitCode: number }).exitCode).toBe(2)
    return err as Error
  }
  throw new Error('expected a UsageError')
}

describe('parseRelayOptions', () => {
  it('has defaults for everything', () => {
    expect(parseRelayOptions([], {})).toEqual({
      port: DEFAULT_PORT,
      host: DEFAULT_HOST,
      dataDir: DEFAULT_DATA_DIR,
      announce: [],
      trustedProxies: [],
      stun: [],
      turn: [],
      turnTtlSeconds: DEFAULT_TURN_TTL_SECONDS,
      turnMintsPerHour: DEFAULT_TURN_MINTS_PER_HOUR,
      tls: undefined,
      limits: DEFAULT_LIMITS,
      build: true,
      help: false
    })
    expect(DEFAULT_PORT).toBe(8080)
    expect(DEFAULT_HOST).toBe('127.0.0.1')
  })

  it('reads flags in both --flag value and --flag=value forms', () => {
    const options = parseRelayOptions(['--port', '0', '--host', '0.0.0.0', '--data-dir=/tmp/x', '--no-build', '--tls-cert=c.pem', '--tls-key', 'k.pem'])
    expect(options).toMatchObject({ port: 0, host: '0.0.0.0', dataDir: '/tmp/x', build: false, tls: { certFile: 'c.pem', keyFile: 'k.pem' } })
  })

  it('falls back to environment variables', () => {
    const options = parseRelayOptions([], {
      CHIRAL_PORT: '3000',
      CHIRAL_HOST: '::1',
      CHIRAL_DATA_DIR: 'here',
      CHIRAL_TLS_CERT: '/etc/c.pem',
      CHIRAL_TLS_KEY: '/etc/k.pem',
      CHIRAL_ANNOUNCE: '/dns4/a.example/tcp/443/wss, /dns4/b.example/tcp/443/wss'
    })
    expect(options).toMatchObject({
      port: 3000,
      host: '::1',
      tls: { certFile: '/etc/c.pem', keyFile: '/etc/k.pem' },
      dataDir: 'here',
      announce: ['/dns4/a.example/tcp/443/wss', '/dns4/b.example/tcp/443/wss']
    })
  })

  it('prefers flags over the environment', () => {
    const options = parseRelayOptions(['--port', '81', '--announce', '/dns4/flag.example/tcp/443/wss'], {
      CHIRAL_PORT: '3000',
      CHIRAL_ANNOUNCE: '/dns4/env.example/tcp/443/wss'
    })
    expect(options.port).toBe(81)
    expect(options.announce).toEqual(['/dns4/flag.example/tcp/443/wss'])
  })

  it('collects repeated and comma-separated --announce values', () => {
    const options = parseRelayOptions([
      '--announce', '/dns4/a.example/tcp/443/wss,/dns4/b.example/tcp/443/wss',
      '--announce=/ip4/127.0.0.1/tcp/9090/ws'
    ])
    expect(options.announce).toEqual(['/dns4/a.example/tcp/443/wss', '/dns4/b.example/tcp/443/wss', '/ip4/127.0.0.1/tcp/9090/ws'])
  })

  it('reads STUN/TURN servers from repeated flags or comma-separated variables, with the secret and limits', () => {
    const fromFlags = parseRelayOptions([
      '--stun', 'stun:t.example:3478', '--turn', 'turn:t.example:3478?transport=udp,turn:t.example:3478?transport=tcp',
      '--turn=turns:t.example:5349?transport=tcp', '--turn-secret', 'k', '--turn-ttl', '3600', '--turn-mints-per-hour', '10'
    ])
    expect(fromFlags).toMatchObject({
      stun: ['stun:t.example:3478'],
      turn: ['turn:t.example:3478?transport=udp', 'turn:t.example:3478?transport=tcp', 'turns:t.example:5349?transport=tcp'],
      turnSecret: 'k',
      turnTtlSeconds: 3600,
      turnMintsPerHour: 10
    })
    const fromEnv = parseRelayOptions([], {
      CHIRAL_STUN: 'stun:[2001:db8::1]:3478',
      CHIRAL_TURN: 'turn:192.0.2.3',
      CHIRAL_TURN_SECRET: 'k',
      CHIRAL_TURN_TTL: '120',
      CHIRAL_TURN_MINTS_PER_HOUR: '5'
    })
    expect(fromEnv).toMatchObject({ stun: ['stun:[2001:db8::1]:3478'], turn: ['turn:192.0.2.3'], turnSecret: 'k', turnTtlSeconds: 120, turnMintsPerHour: 5 })
    // a flag replaces its variable
    expect(parseRelayOptions(['--stun', 'stun:a.example'], { CHIRAL_STUN: 'stun:b.example' }).stun).toEqual(['stun:a.example'])
  })

  it('reads trusted proxies (IP addresses) from flags or the environment', () => {
    expect(parseRelayOptions(['--trusted-proxy', '127.0.0.1,::1']).trustedProxies).toEqual(['127.0.0.1', '::1'])
    expect(parseRelayOptions([], { CHIRAL_TRUSTED_PROXY: '10.0.0.2' }).trustedProxies).toEqual(['10.0.0.2'])
  })

  it('says what TURN needs when the secret or the URL is missing', () => {
    expect(usageError(() => parseRelayOptions(['--turn', 'turn:t.example'])).message).toContain('--turn-secret')
    expect(usageError(() => parseRelayOptions([], { CHIRAL_TURN_SECRET: 'k' })).message).toContain('--turn')
  })

  it('treats empty environment values as unset', () => {
    expect(parseRelayOptions([], { CHIRAL_PORT: '', CHIRAL_HOST: ' ' })).toMatchObject({ port: DEFAULT_PORT, host: DEFAULT_HOST })
  })

  it('maps localhost to 127.0.0.1, since libp2p listens on IP addresses only', () => {
    expect(parseRelayOptions(['--host', 'localhost']).host).toBe('127.0.0.1')
  })

  it('recognises --help and -h', () => {
    expect(parseRelayOptions(['--help']).help).toBe(true)
    expect(parseRelayOptions(['-h']).help).toBe(true)
  })

  it.each([
    [['--port', 'abc']],
    [['--port', '-1']],
    [['--port', '65536']],
    [['--port', '80.5']],
    [['--max-connections-per-ip', '0']],
    [['--max-reservations', 'many']],
    [['--idle-timeout', '-5s']],
    [['--idle-timeout', '5 minutes']],
    [['--max-message-size', '1.5k']],
    [['--tls-cert', 'c.pem']],
    [['--port']],
    [['--port', '--no-build']],
    [['--host', 'example.com']],
    [['--announce', 'not-a-multiaddr']],
    [['--frobnicate']],
    [['--trusted-proxy', 'proxy.example.com']],
    [['--stun', 'turn:t.example:3478', '--turn', 'turn:t.example', '--turn-secret', 's']],
    [['--stun', 'stun:t.example:3478?transport=udp']],
    [['--stun', 'http://t.example']],
    [['--turn', 'stun:t.example', '--turn-secret', 's']],
    [['--turn', 'turn:t.example:99999', '--turn-secret', 's']],
    [['--turn', 'turn:t.example:3478']],
    [['--turn-secret', 's']],
    [['--turn', 'turn:t.example', '--turn-secret', 's', '--turn-ttl', '10']],
    [['--turn', 'turn:t.example', '--turn-secret', 's', '--turn-mints-per-hour', '0']],
    [['stray']]
  ])('rejects %j with a UsageError', (argv) => {
    const err = usageError(() => parseRelayOptions(argv))
    expect(err.message.length).toBeGreaterThan(10)
  })

  it('rejects bad environment values, naming the flag', () => {
    expect(usageError(() => parseRelayOptions([], { CHIRAL_PORT: 'x' })).message).toContain('--port')
    expect(usageError(() => parseRelayOptions([], { CHIRAL_MAX_PROVIDERS: '1e6' })).message).toContain('--max-providers')
    expect(usageError(() => parseRelayOptions([], { CHIRAL_TLS_KEY: 'k.pem' })).message).toContain('--tls-cert')
  })

  it('says that --ws-port is gone because the WebSocket shares --port', () => {
    for (const run of [() => parseRelayOptions(['--ws-port', '9090']), () => parseRelayOptions(['--ws-port=0']), () => parseRelayOptions([], { CHIRAL_WS_PORT: '9090' })]) {
      expect(usageError(run).message).toMatch(/shares --port/)
    }
  })

  it('reads every limit from its flag or its environment variable, in its unit', () => {
    const options = parseRelayOptions([
      '--max-connections-per-ip', '8', '--max-reservations=100', '--idle-timeout', '90', '--stream-idle-timeout=1.5m',
      '--handshake-timeout', '2500ms', '--provider-ttl', '24h', '--max-message-size', '64k'
    ], { CHIRAL_MAX_RESERVATIONS_PER_IP: '4', CHIRAL_MAX_PROVIDERS: '500', CHIRAL_MAX_RESERVATIONS: '7' })
    expect(options.limits).toEqual({
      ...DEFAULT_LIMITS,
      maxConnectionsPerIp: 8,
      maxReservations: 100,
      maxReservationsPerIp: 4,
      idleConnectionTimeoutMs: 90_000,
      streamIdleTimeoutMs: 90_000,
      handshakeTimeoutMs: 2_500,
      providerTtlMs: 24 * 3_600_000,
      maxMessageBytes: 65_536,
      maxProviders: 500
    })
  })

  it('documents every limit in --help with its environment variable and default', () => {
    for (const spec of LIMIT_FLAGS) {
      expect(RELAY_HELP).toContain(spec.flag)
      expect(RELAY_HELP).toContain(spec.env)
    }
    expect(RELAY_HELP).toContain('default 64')
    expect(RELAY_HELP).toContain('default 48h')
  })

  it('has a README row for every limit, with its environment variable and default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    for (const spec of LIMIT_FLAGS) {
      const row = readme.split('\n').find(line => line.startsWith(`| \`${spec.flag}\` |`))
      expect(row, spec.flag).toBeDefined()
      expect(row).toContain(`\`${spec.env}\``)
      expect(row).toContain(`| ${formatLimit(spec.kind, DEFAULT_LIMITS[spec.key])} |`)
    }
  })
})
