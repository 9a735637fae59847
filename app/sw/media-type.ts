/**
 * Content types the media route serves inline, by file extension. Only kinds
 * a browser shows without running anything of the file's: images (no SVG, it
 * can carry script), audio, video, PDF and plain text. Anything else is
 * application/octet-stream, which the page never renders.
 */
const INLINE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  flac: 'audio/flac',
  weba: 'audio/webm',
  mp4: 'video/mp4',
  m4v: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  ogv: 'video/ogg',
  pdf: 'application/pdf',
  txt: 'text/plain; charset=utf-8'
}

export type MediaKind = 'image' | 'audio' | 'video' | 'pdf' | 'text'

export function mediaType (path: string): string {
  const dot = path.lastIndexOf('.')
  const extension = dot < 0 || dot < path.lastIndexOf('/') ? '' : path.slice(dot + 1).toLowerCase()
  return INLINE_TYPES[extension] ?? 'application/octet-stream'
}

/** How the page shows a file of this path, or undefined when it cannot. */
export function mediaKind (path: string): MediaKind | undefined {
  const type = mediaType(path)
  if (type === 'application/pdf') return 'pdf'
  if (type.startsWith('text/')) return 'text'
  const kind = type.split('/')[0]
  return kind === 'image' || kind === 'audio' || kind === 'video' ? kind : undefined
}
