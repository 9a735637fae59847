import { describe, expect, it } from 'vitest'
import { ipKey } from '../../relay/ip-key.ts'
import { PerIpCounter } from '../../relay/per-ip-counter.ts'

describe('ipKey', () => {
  it('keeps IPv4 addresses, also when they arrive IPv4-mapped', () => {
    expect(ipKey('203.0.113.7')).toBe('203.0.113.7')
    expect(ipKey('::ffff:203.0.113.7')).toBe('203.0.113.7')
    expect(ipKey('::FFFF:203.0.113.7')).toBe('203.0.113.7')
  })

  it('groups IPv6 addresses by their /64, however they are written', () => {
    const key = ipKey('2001:db8:1:2::1')
    expect(key).toBe('2001:db8:1:2::/64')
    expect(ipKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe(key)
    expect(ipKey('[2001:db8:1:2:aaaa::9]')).toBe(key)
    expect(ipKey('2001:db8:1:3::1')).not.toBe(key)
    expect(ipKey('::1')).toBe('0:0:0:0::/64')
    expect(ipKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(ipKey('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64')
  })

  it('counts anything unparseable under itself', () => {
    expect(ipKey('not-an-ip')).toBe('not-an-ip')
  })
})

describe('PerIpCounter', () => {
  it('counts up to the cap per address and frees on remove', () => {
    const counter = new PerIpCounter(2)
    expect(counter.tryAdd('198.51.100.1')).toBe(true)
    expect(counter.tryAdd('::ffff:198.51.100.1')).toBe(true)
    expect(counter.tryAdd('198.51.100.1')).toBe(false)
    expect(counter.tryAdd('198.51.100.2')).toBe(true)
    expect(counter.count('198.51.100.1')).toBe(2)
    counter.remove('198.51.100.1')
    expect(counter.tryAdd('198.51.100.1')).toBe(true)
  })

  it('treats a whole IPv6 /64 as one address', () => {
    const counter = new PerIpCounter(1)
    expect(counter.tryAdd('2001:db8::1')).toBe(true)
    expect(counter.tryAdd('2001:db8::2')).toBe(false)
    expect(counter.tryAdd('2001:db8:0:1::2')).toBe(true)
  })

  it('forgets addresses that hold nothing', () => {
    const counter = new PerIpCounter(3)
    counter.tryAdd('192.0.2.1')
    counter.tryAdd('192.0.2.2')
    counter.remove('192.0.2.1')
    counter.remove('192.0.2.2')
    counter.remove('192.0.2.2')
    expect(counter.size).toBe(0)
    expect(counter.count('192.0.2.2')).toBe(0)
  })
})
