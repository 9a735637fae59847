import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createIceServerIssuer } from '../../relay/ice-servers.ts'
import { RateLimiter } from '../../relay/rate-limiter.ts'
import { mintTurnCredential } from '../../relay/turn-credentials.ts'

describe('mintTurnCredential (TURN REST API, as coturn use-auth-secret checks it)', () => {
  it('username is <expiry>:<id>, credential is base64(HMAC-SHA1(secret, username))', () => {
    const c = mintTurnCredential('s3cret', 3600, 1_700_000_000_500, 'abc')
    expect(c.username).toBe('1700003600:abc')
    expect(c.expiresAt).toBe(1_700_003_600)
    expect(c.credential).toBe(createHmac('sha1', 's3cret').update('1700003600:abc').digest('base64'))
    // a known vector, computed independently: printf '1700003600:abc' | openssl dgst -sha1 -hmac s3cret -binary | base64
    expect(c.credential).toBe('Fe5EJwoqvfV1NLt6WgDwx7yTyxg=')
  })

  it('every credential gets its own random id', () => {
    const a = mintTurnCredential('s', 60)
    const b = mintTurnCredential('s', 60)
    expect(a.username).not.toBe(b.username)
    expect(a.username).toMatch(/^\d+:[A-Za-z0-9_-]{12}$/)
  })
})

describe('RateLimiter', () => {
  it('allows a burst, then refills at the hourly rate', () => {
    let now = 0
    const limiter = new RateLimiter({ perHour: 60, capacity: 3, maxKeys: 10, now: () => now })
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([true, true, true, false])
    expect(limiter.retryAfterSeconds('a')).toBe(60)
    expect(limiter.take('b')).toBe(true) // another key has its own bucket
    now += 60_000
    expect(limiter.take('a')).toBe(true)
    expect(limiter.take('a')).toBe(false)
  })

  it('remembers at most maxKeys keys, forgetting the least recently used', () => {
    const limiter = new RateLimiter({ perHour: 1, capacity: 1, maxKeys: 100, now: () => 0 })
    for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`)
    expect(limiter.size).toBe(100)
  })
})

describe('createIceServerIssuer', () => {
  const base = { stun: ['stun:t.example:3478'], turn: ['turn:t.example:3478?transport=udp', 'turn:t.example:3478?transport=tcp'], turnSecret: 'k', turnTtlSeconds: 600, turnMintsPerHour: 6 }

  it('hands out STUN as is and TURN with fresh credentials and their lifetime', () => {
    const issued = createIceServerIssuer({ ...base, now: () => 1_000_000 }).issue('192.0.2.1')
    expect(issued.iceServersTtl).toBe(600)
    expect(issued.iceServers[0]).toEqual({ urls: ['stun:t.example:3478'] })
    const turn = issued.iceServers[1]!
    expect(turn.urls).toEqual(base.turn)
    expect(turn.username).toMatch(/^1600:/)
    expect(turn.credential).toBe(createHmac('sha1', 'k').update(turn.username!).digest('base64'))
  })

  it('mints nothing for a request that is not the app\'s own, and it costs the client nothing', () => {
    const issuer = createIceServerIssuer({ ...base, now: () => 0 }) // burst: one
    for (let i = 0; i < 10; i++) expect(issuer.issue('198.51.100.9', { mint: false })).toEqual({ iceServers: [{ urls: ['stun:t.example:3478'] }] })
    expect(issuer.issue('198.51.100.9').iceServers).toHaveLength(2)
  })

  it('names no servers when none are configured (never a third-party default)', () => {
    expect(createIceServerIssuer({ stun: [], turn: [], turnTtlSeconds: 600, turnMintsPerHour: 6 }).issue('x')).toEqual({ iceServers: [] })
  })

  it('gives a client over its rate STUN only and says when to ask again; other clients are unaffected', () => {
    const issuer = createIceServerIssuer({ ...base, now: () => 0 }) // burst: one (6 per hour / 6)
    expect(issuer.issue('198.51.100.7').iceServers).toHaveLength(2)
    const throttled = issuer.issue('198.51.100.7')
    expect(throttled.iceServers).toEqual([{ urls: ['stun:t.example:3478'] }])
    expect(throttled.iceServersTtl).toBe(600)
    expect(issuer.issue('198.51.100.8').iceServers).toHaveLength(2)
  })
})
