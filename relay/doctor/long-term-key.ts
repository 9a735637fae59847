import { createHash } from 'node:crypto'

/**
 * The long-term credential key (RFC 5389 section 15.4):
 * MD5(username ":" realm ":" SASLprep(password)). With coturn's TURN REST API
 * the password is base64(HMAC-SHA1(static-auth-secret, username)), so what
 * coturn checks is in the end whether the relay and coturn share the secret.
 */
export function longTermKey (username: string, realm: string, password: string): Uint8Array {
  return createHash('md5').update(`${username}:${realm}:${saslPrep(password)}`, 'utf8').digest()
}

/** RFC 3454 table B.1, "commonly mapped to nothing" (soft hyphen, joiners, variation selectors...). */
const MAPPED_TO_NOTHING = /[\u00ad\u034f\u1806\u180b-\u180d\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]/gu
/** RFC 3454 table C.1.2, non-ASCII spaces: mapped to U+0020. */
const NON_ASCII_SPACE = /[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]/gu

/**
 * SASLprep (RFC 4013) as far as it changes a string: its two mappings, then
 * NFKC. The prohibited-output and bidi checks only matter to a server deciding
 * whether to accept a password; the doctor just has to compute the key the
 * server computes. Relay-minted passwords are base64, which none of this touches.
 */
export function saslPrep (text: string): string {
  return text.replace(MAPPED_TO_NOTHING, '').replace(NON_ASCII_SPACE, ' ').normalize('NFKC')
}
