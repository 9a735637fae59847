import { createHmac, randomBytes } from 'node:crypto'

/**
 * Time-limited TURN credentials, the "TURN REST API" convention that coturn
 * implements with `use-auth-secret` / `static-auth-secret`: the username is
 * `<expiry unix time>:<id>` and the password is base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the HMAC and refuses the username once its time has passed,
 * so nothing is shared between the relay and coturn but the secret.
 */
export interface TurnCredential {
  username: string
  credential: string
  /** Unix time (seconds) after which coturn refuses it. */
  expiresAt: number
}

/** Random part of the username: tells credentials minted in the same second apart. */
const ID_BYTES = 9

export function mintTurnCredential (secret: string, ttlSeconds: number, nowMs = Date.now(), id = randomBytes(ID_BYTES).toString('base64url')): TurnCredential {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds
  const username = `${expiresAt}:${id}`
  const credential = createHmac('sha1', secret).update(username).digest('base64')
  return { username, credential, expiresAt }
}
