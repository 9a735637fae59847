import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createSecureContext } from 'node:tls'
import { TlsConfigError } from './errors.ts'

export interface TlsFiles {
  certFile: string
  keyFile: string
}

export interface LoadedTls {
  /** PEM, as read: the server certificate first, then any intermediates. */
  cert: Buffer
  key: Buffer
  /** DNS names of the server certificate (subjectAltName), wildcards included. */
  dnsNames: string[]
  /** Things a browser will refuse, said before the first visitor finds out (e.g. expired). */
  warnings: string[]
}

/**
 * Read and check --tls-cert / --tls-key before anything listens: both must be
 * readable PEM, and the key must belong to the (first) certificate. Throws
 * TlsConfigError with a sentence the operator can act on.
 */
export async function loadTls (files: TlsFiles, options: { signal?: AbortSignal, now?: Date } = {}): Promise<LoadedTls> {
  const cert = await readPem(files.certFile, '--tls-cert', options.signal)
  const key = await readPem(files.keyFile, '--tls-key', options.signal)

  let certificate: X509Certificate
  try {
    certificate = new X509Certificate(cert)
  } catch (err) {
    throw new TlsConfigError(`${files.certFile} (--tls-cert) is not a PEM certificate: ${(err as Error).message}`, { cause: err })
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey(key)
  } catch (err) {
    throw new TlsConfigError(`${files.keyFile} (--tls-key) is not a PEM private key (an encrypted key needs its passphrase removed): ${(err as Error).message}`, { cause: err })
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw new TlsConfigError(`The key ${files.keyFile} (--tls-key) does not belong to the certificate ${files.certFile} (--tls-cert). Pass the key the certificate was issued for.`)
  }
  try {
    // what the server will do with them: catches what the two checks above cannot (e.g. a broken chain PEM)
    createSecureContext({ cert, key })
  } catch (err) {
    throw new TlsConfigError(`Node cannot use ${files.certFile} and ${files.keyFile} together: ${(err as Error).message}`, { cause: err })
  }

  const warnings: string[] = []
  const now = options.now ?? new Date()
  if (new Date(certificate.validTo) < now) warnings.push(`the certificate ${files.certFile} expired on ${certificate.validTo}; browsers will refuse it`)
  if (new Date(certificate.validFrom) > now) warnings.push(`the certificate ${files.certFile} is not valid before ${certificate.validFrom}; browsers will refuse it`)
  return { cert, key, dnsNames: dnsNamesOf(certificate.subjectAltName), warnings }
}

/**
 * DNS names in a subjectAltName as Node prints it ("DNS:a.example, IP
 * Address:1.2.3.4"). Node quotes entries with unusual characters; those are not
 * names a browser can connect to, so they are skipped.
 */
export function dnsNamesOf (subjectAltName: string | undefined): string[] {
  if (subjectAltName == null) return []
  return subjectAltName.split(', ')
    .map(entry => /^DNS:([A-Za-z0-9*][A-Za-z0-9.*-]*)$/.exec(entry.trim())?.[1]?.toLowerCase())
    .filter((name): name is string => name != null)
}

async function readPem (file: string, flag: string, signal?: AbortSignal): Promise<Buffer> {
  try {
    return await readFile(file, { signal })
  } catch (err) {
    if (signal?.aborted === true) throw err
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message
    throw new TlsConfigError(`Cannot read ${file} (${flag}): ${reason}`, { cause: err })
  }
}
