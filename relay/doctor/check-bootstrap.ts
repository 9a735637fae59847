import { BOOTSTRAP_PATH, InvalidBootstrapError, parseBootstrapDocument, type BootstrapDocument } from '../../app/core/protocol/bootstrap-document.ts'
import { failed, passed, type CheckResult } from './check-result.ts'
import { BOOTSTRAP_TIMEOUT_MS, MAX_BOOTSTRAP_BYTES } from './constants.ts'
import { CertificateError, ConnectFailedError, HostNotFoundError, NoAnswerError, type Endpoint } from './errors.ts'
import { connectTls, resolveHost, withTimeout } from './net-connect.ts'
import { BootstrapHttpError, InsecureContextError } from './relay-errors.ts'
import { isLoopbackHost } from './secure-context.ts'

/** A certificate this close to expiry still passes, with a reminder. */
const RENEW_SOON_DAYS = 14
const DAY_MS = 86_400_000

export interface BootstrapCheck {
  results: CheckResult[]
  /** Present when /bootstrap.json was fetched and valid: the other checks need it. */
  document?: BootstrapDocument
}

/** The page's origin: a secure context, a certificate browsers accept, and a valid /bootstrap.json. */
export async function checkBootstrap (page: URL, options: { signal?: AbortSignal } = {}): Promise<BootstrapCheck> {
  const results: CheckResult[] = []
  const host = page.hostname.replace(/^\[|\]$/g, '')
  const secure = page.protocol === 'https:'
  const to: Endpoint = { transport: secure ? 'tls' : 'tcp', host, port: Number(page.port || (secure ? 443 : 80)) }
  if (!secure && !isLoopbackHost(host)) results.push(failed('page', page.origin, new InsecureContextError(page.origin)))
  const tls = secure ? await checkCertificate(to, options) : undefined
  if (tls != null) results.push(tls)

  const url = new URL(BOOTSTRAP_PATH, page).toString()
  try {
    const document = await fetchBootstrap(url, to, options)
    const details = [
      ...document.multiaddrs.map(a => `address ${a}`),
      ...document.iceServers.flatMap(s => s.urls.map(u => `ICE server ${u}${s.username != null ? ' (with credentials)' : ''}`))
    ]
    if (document.iceServers.length === 0) details.push('no ICE servers: browsers use host candidates only')
    const addresses = plural(document.multiaddrs.length, 'address', 'addresses')
    results.push(passed('bootstrap', `${url}: relay ${document.peerId}, ${addresses}${document.allowPrivateAddresses ? ', private addresses allowed (a local set-up)' : ''}`, { details }))
    return { results, document }
  } catch (err) {
    // the same certificate failure twice would read like two problems
    const sameAsTls = tls?.status === 'fail' && (err as Error)?.name === 'CertificateError'
    results.push(sameAsTls
      ? { status: 'fail', check: 'bootstrap', summary: url, fix: 'Browsers refuse the certificate (the TLS line above), so they cannot fetch it either.' }
      : failed('bootstrap', url, err))
    return { results }
  }
}

async function checkCertificate (to: Endpoint, options: { signal?: AbortSignal }): Promise<CheckResult> {
  try {
    const { address } = await resolveHost(to.host, options)
    const { socket, certificate } = await connectTls(to, address, options)
    socket.destroy()
    const days = Math.floor((certificate.validTo.getTime() - Date.now()) / DAY_MS)
    const renew = days < RENEW_SOON_DAYS ? ' (renew it soon)' : ''
    return passed('TLS', `certificate for ${to.host} valid until ${certificate.validTo.toISOString().slice(0, 10)}, ${plural(days, 'day', 'days')} left${renew}`, {
      details: [`names ${certificate.names.join(', ')}`]
    })
  } catch (err) {
    return failed('TLS', `${to.host}:${to.port}`, err)
  }
}

async function fetchBootstrap (url: string, to: Endpoint, options: { signal?: AbortSignal }): Promise<BootstrapDocument> {
  const signal = withTimeout(options.signal, BOOTSTRAP_TIMEOUT_MS)
  let response: Response
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json' } })
  } catch (err) {
    options.signal?.throwIfAborted()
    throw explainFetchError(err, to)
  }
  if (response.status !== 200) {
    await response.body?.cancel()
    throw new BootstrapHttpError(url, response.status)
  }
  const text = await readBounded(response, signal).catch(err => {
    options.signal?.throwIfAborted()
    throw err instanceof InvalidBootstrapError ? err : explainFetchError(err, to)
  })
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new InvalidBootstrapError('it is not JSON (is a proxy answering with a page of its own?)')
  }
  return parseBootstrapDocument(json)
}

/** The body as text, refused past MAX_BOOTSTRAP_BYTES before it is all read. */
async function readBounded (response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader()
  if (reader == null) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    signal.throwIfAborted()
    const { done, value } = await reader.read()
    if (done) break
    size += value.length
    if (size > MAX_BOOTSTRAP_BYTES) {
      await reader.cancel()
      throw new InvalidBootstrapError(`it is larger than ${MAX_BOOTSTRAP_BYTES} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

function plural (n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_NODATA'])

/** fetch() says "fetch failed" and hides the reason in `cause`: make it one of the doctor's errors. */
function explainFetchError (err: unknown, to: Endpoint): unknown {
  const error = err as Error & { cause?: NodeJS.ErrnoException }
  if (error.name === 'TimeoutError' || error.name === 'AbortError') return new NoAnswerError(to, BOOTSTRAP_TIMEOUT_MS)
  const code = error.cause?.code
  if (code == null) return err
  if (DNS_CODES.has(code)) return new HostNotFoundError(to.host, { cause: err })
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') return new NoAnswerError(to, BOOTSTRAP_TIMEOUT_MS)
  if (/CERT|ERR_TLS|_SIGNATURE|ISSUER/.test(code)) return new CertificateError(to.host, code)
  return new ConnectFailedError(to, code, { cause: err })
}
