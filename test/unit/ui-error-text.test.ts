import { describe, expect, it } from 'vitest'
import { errorText, isAbort } from '../../app/ui/error-text.ts'
import {
  AbortError, InvalidCidError, NoDirectConnectionError, NoProvidersError, ProviderGoneError, QuotaExceededError,
  RelayUnreachableError, TimeoutError, BlockVerificationError, DagLimitError, MalformedDagError
} from '../../app/core/errors.ts'

describe('errorText', () => {
  it('maps every named failure to its own sentence', () => {
    const errors = [
      new InvalidCidError('nope'),
      new NoProvidersError('bafy'),
      new NoDirectConnectionError('bafy', { turnConfigured: false }),
      new NoDirectConnectionError('bafy', { turnConfigured: true }),
      new ProviderGoneError('bafy'),
      new RelayUnreachableError(),
      new QuotaExceededError(),
      new TimeoutError('finding providers', 20_000),
      new AbortError(),
      new DagLimitError('bytes', 2 ** 40, { claimed: 2n ** 53n }),
      new DagLimitError('depth', 64),
      new MalformedDagError('its block sizes add up to 10 bytes, but it claims 12', 'bafy')
    ]
    const sentences = errors.map(errorText)
    for (const s of sentences) expect(s).toMatch(/\.$/)
    expect(new Set(sentences).size).toBe(errors.length)
    expect(errorText(new InvalidCidError('x'))).toMatch(/link or CID/)
    expect(errorText(new NoProvidersError('bafy'))).toMatch(/Nobody is sharing/)
    expect(errorText(new RelayUnreachableError())).toMatch(/relay/)
  })

  it('says a found sender could not be reached directly, never "took too long" or "nobody is sharing", and what fixes it', () => {
    const noTurn = errorText(new NoDirectConnectionError('bafy', { turnConfigured: false }))
    expect(noTurn).toMatch(/sender was found/)
    expect(noTurn).toMatch(/firewall or strict NAT/)
    expect(noTurn).toMatch(/adding a TURN server/)
    expect(noTurn).not.toMatch(/too long|Nobody is sharing/)
    expect(errorText(new NoDirectConnectionError('bafy', { turnConfigured: true }))).toMatch(/not even through the relay's TURN server/)
  })

  it('says how big a share may be when it claims more, and that a hostile or broken DAG was stopped', () => {
    expect(errorText(new DagLimitError('bytes', 2 ** 40, { claimed: 2n ** 53n }))).toMatch(/more than 1\.10 TB, more than a browser tab can store/)
    for (const limit of ['depth', 'links', 'visits', 'blocks', 'entries'] as const) {
      expect(errorText(new DagLimitError(limit, 64))).toMatch(/was stopped/)
    }
    expect(errorText(new MalformedDagError('x'))).toMatch(/damaged or was built wrongly/)
  })

  it('reads native DOMExceptions by name too', () => {
    expect(errorText(new DOMException('quota', 'QuotaExceededError'))).toBe(errorText(new QuotaExceededError()))
    expect(errorText(new DOMException('aborted', 'AbortError'))).toBe('Cancelled.')
  })

  it('falls back to the message for anything else', () => {
    expect(errorText(new BlockVerificationError('bafyx'))).toBe(new BlockVerificationError('bafyx').message)
    expect(errorText(new Error('disk on fire'))).toBe('disk on fire')
    expect(errorText('plain text')).toBe('plain text')
    expect(errorText(new Error(''))).toBe('Error')
    expect(errorText({})).toBe('Something went wrong.')
  })

  it('is empty when there is no error', () => {
    expect(errorText(undefined)).toBe('')
    expect(errorText(null)).toBe('')
  })

  it('recognises aborts by name', () => {
    expect(isAbort(new AbortError())).toBe(true)
    expect(isAbort(new DOMException('x', 'AbortError'))).toBe(true)
    expect(isAbort(new TimeoutError('x', 1))).toBe(false)
    expect(isAbort(undefined)).toBe(false)
  })
})
