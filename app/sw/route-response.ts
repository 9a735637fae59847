/** Plain-text answers of the service worker's file routes, and the status each failure gets. */
export function errorResponse (err: unknown): Response {
  const name = err instanceof Error ? err.name : ''
  switch (name) {
    case 'InvalidCidError':
      return textResponse(400, 'This link does not contain a valid CID.')
    case 'NotInShareError':
      return textResponse(404, 'This file is not part of this share.')
    case 'BlockNotFoundError':
      return textResponse(404, 'This file is not stored in this browser (or only partly). Download it again in Chiral.')
    case 'NotDownloadingError':
      return textResponse(503, 'This part of the file has not arrived yet, and the share is not downloading right now. Resume the download in Chiral.')
    case 'TimeoutError':
      return textResponse(504, 'This part of the file did not arrive in time. The sender may have gone; try again.')
    case 'UnsupportedContentError':
      return textResponse(415, err instanceof Error ? err.message : 'Unsupported content.')
    default:
      return textResponse(500, `Could not read the file: ${err instanceof Error ? err.message : String(err)}`)
  }
}

export function textResponse (status: number, message: string, headers: Record<string, string> = {}): Response {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers }
  })
}
