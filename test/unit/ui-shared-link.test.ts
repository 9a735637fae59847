import { describe, expect, it } from 'vitest'
import { findSharedCid } from '../../app/ui/kernel/shared-link.ts'

const CID = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'

describe('a Chiral link or CID in shared text', () => {
  it('finds a link or CID anywhere in the fields, url first', () => {
    expect(findSharedCid([`https://chiral.example/#/${CID}`])).toBe(CID)
    expect(findSharedCid(['', `Grab this (https://chiral.example/#/${CID}).`])).toBe(CID)
    expect(findSharedCid(['', '', `${CID}`])).toBe(CID)
    expect(findSharedCid([`ipfs://${CID}`, 'zzz'])).toBe(CID)
  })

  it('finds nothing in text without one', () => {
    expect(findSharedCid(['', 'hello world', 'https://example.com/#/not-a-cid', 'zebra'])).toBeUndefined()
    expect(findSharedCid([])).toBeUndefined()
  })
})
