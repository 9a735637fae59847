import { describe, expect, it } from 'vitest'
import {
  formatBytes, formatPeers, formatSpeed, percent, shareLink, shortPeerId, statusText, transferStateText
} from '../../app/ui/format.ts'
import { cidFromHash } from '../../app/ui/kernel/hash-route.ts'

describe('format', () => {
  it('formats sizes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1.00 kB')
    expect(formatBytes(262_144)).toBe('262 kB')
    expect(formatBytes(12_345_678)).toBe('12.3 MB')
    expect(formatBytes(2.5e9)).toBe('2.50 GB')
    expect(formatBytes(-1)).toBe('–')
  })

  it('formats speeds in MB/s', () => {
    expect(formatSpeed(0)).toBe('0.0 MB/s')
    expect(formatSpeed(1_500_000)).toBe('1.50 MB/s')
    expect(formatSpeed(25_000_000)).toBe('25.0 MB/s')
    expect(formatSpeed(Number.NaN)).toBe('0.0 MB/s')
  })

  it('counts peers', () => {
    expect(formatPeers(0)).toBe('0 peers')
    expect(formatPeers(1)).toBe('1 peer')
    expect(formatPeers(3)).toBe('3 peers')
  })

  it('shortens peer ids', () => {
    expect(shortPeerId('12D3KooWAbCdEfGhIjKlMnOpQrStUvWxYz')).toBe('12D3KooW…UvWxYz')
    expect(shortPeerId('short')).toBe('short')
  })

  it('says "ready" in lowercase once ready, and names every status', () => {
    expect(statusText('ready')).toContain('ready')
    expect(statusText('connecting')).toBe('Connecting to relay…')
    expect(statusText('connected')).toBe('Connected to relay')
    expect(statusText('offline')).toBe('Relay unreachable — retrying')
  })

  it('ends a finished transfer in "complete", "failed" or "cancelled", and names a running one\'s phase', () => {
    expect(transferStateText('done')).toMatch(/complete$/)
    expect(transferStateText('failed')).toMatch(/failed$/)
    expect(transferStateText('cancelled')).toMatch(/cancelled$/)
    expect(transferStateText('running')).toBe('finding peers')
    expect(transferStateText('running', 'finding')).toBe('finding peers')
    expect(transferStateText('running', 'connecting')).toBe('connecting')
    expect(transferStateText('running', 'transferring')).toBe('transferring')
    expect(transferStateText('paused', 'transferring')).toBe('paused')
    expect(transferStateText('queued')).toBe('queued')
    expect(transferStateText('waiting')).toBe('connecting to the relay')
  })

  it('computes a bounded percentage', () => {
    expect(percent(5, 10)).toBe(50)
    expect(percent(20, 10)).toBe(100)
    expect(percent(5, undefined)).toBe(0)
    expect(percent(5, 0)).toBe(0)
  })

  it('builds and reads share links', () => {
    expect(shareLink('http://localhost:8080', 'bafyabc')).toBe('http://localhost:8080/#/bafyabc')
    expect(cidFromHash('#/bafyabc')).toBe('bafyabc')
    expect(cidFromHash('#bafyabc')).toBe('bafyabc')
    expect(cidFromHash('')).toBe('')
    expect(cidFromHash('#/')).toBe('')
  })
})
