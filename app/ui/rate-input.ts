/** An upload speed limit as a person types it ("500 KB/s", "2 MB/s", "off") and as the page shows it. */
import { MIN_UPLOAD_LIMIT_BYTES_PER_SECOND } from '../core/constants.ts'
import { formatBytes } from './format.ts'

/** The smallest limit the peer accepts (the reason is in core's constants). */
export const MIN_UPLOAD_LIMIT = MIN_UPLOAD_LIMIT_BYTES_PER_SECOND

/** The text is not a speed, or a speed too small to serve anyone. */
export class InvalidRateError extends Error {
  override readonly name = 'InvalidRateError'
  readonly min = MIN_UPLOAD_LIMIT
}

const OFF = new Set(['', 'off', 'none', 'no limit', 'unlimited', '0'])
/** Decimal units, as the page shows sizes; KiB and MiB for those who mean them. A bare number is KB/s. */
const UNITS: Record<string, number> = { '': 1000, k: 1000, kb: 1000, kib: 1024, m: 1_000_000, mb: 1_000_000, mib: 1_048_576 }
const RATE = /^(\d+(?:[.,]\d+)?)\s*(k|kb|kib|m|mb|mib)?\s*(?:\/\s*s(?:ec)?)?$/

/**
 * Bytes per second, or undefined for no limit.
 * @throws InvalidRateError
 */
export function parseRate (text: string): number | undefined {
  const input = text.trim().toLowerCase()
  if (OFF.has(input)) return undefined
  const match = RATE.exec(input)
  if (match == null) throw new InvalidRateError(`"${text.trim()}" is not a speed`)
  const value = Number(match[1]!.replace(',', '.')) * UNITS[match[2] ?? '']!
  if (value === 0) return undefined
  if (!Number.isFinite(value) || value < MIN_UPLOAD_LIMIT) throw new InvalidRateError(`${value} B/s is below ${MIN_UPLOAD_LIMIT} B/s`)
  return Math.round(value)
}

/** "500 kB/s", "2.00 MB/s", or "off". */
export function formatRate (bytesPerSecond: number | undefined): string {
  return bytesPerSecond == null ? 'off' : `${formatBytes(bytesPerSecond)}/s`
}
