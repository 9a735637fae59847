import { describe, expect, it } from 'vitest'
import { mediaKind, mediaType } from '../../app/sw/media-type.ts'
import { contentRange, parseRange } from '../../app/sw/range-header.ts'
import { MEDIA_PREFIX, mediaUrl, parseSaveUrl } from '../../app/sw/save-url.ts'

describe('parseRange', () => {
  const size = 1000
  it('reads one range of each form, clamped to the file', () => {
    expect(parseRange('bytes=0-0', size)).toEqual({ start: 0, end: 1 })
    expect(parseRange('bytes=10-19', size)).toEqual({ start: 10, end: 20 })
    expect(parseRange('bytes=990-', size)).toEqual({ start: 990, end: 1000 })
    expect(parseRange('bytes=900-5000', size)).toEqual({ start: 900, end: 1000 })
    expect(parseRange('bytes=-100', size)).toEqual({ start: 900, end: 1000 })
    expect(parseRange('bytes=-5000', size)).toEqual({ start: 0, end: 1000 })
    expect(parseRange(' Bytes = 5 - 6 ', size)).toEqual({ start: 5, end: 7 })
  })

  it('says unsatisfiable for a start at or past the end, or an empty suffix', () => {
    expect(parseRange('bytes=1000-', size)).toBe('unsatisfiable')
    expect(parseRange('bytes=1000-2000', size)).toBe('unsatisfiable')
    expect(parseRange('bytes=-0', size)).toBe('unsatisfiable')
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable')
  })

  it('ignores what it does not serve: no header, other units, several ranges, malformed, inverted', () => {
    for (const header of [null, 'items=0-1', 'bytes=0-1,5-6', 'bytes=a-b', 'bytes=-', 'bytes=20-10', 'bytes=99999999999999999999-']) {
      expect(parseRange(header, size), String(header)).toBeUndefined()
    }
  })

  it('writes Content-Range with an inclusive end', () => {
    expect(contentRange({ start: 10, end: 20 }, size)).toBe('bytes 10-19/1000')
  })
})

describe('media types', () => {
  it('shows images, audio, video, PDF and text inline, never SVG or HTML', () => {
    expect(mediaType('a/b/clip.MP4')).toBe('video/mp4')
    expect(mediaKind('song.mp3')).toBe('audio')
    expect(mediaKind('photo.jpeg')).toBe('image')
    expect(mediaKind('paper.pdf')).toBe('pdf')
    expect(mediaKind('notes.txt')).toBe('text')
    for (const path of ['x.svg', 'x.html', 'x.htm', 'x.js', 'noext', 'dir.mp4/file']) {
      expect(mediaType(path), path).toBe('application/octet-stream')
      expect(mediaKind(path), path).toBeUndefined()
    }
  })

  it('media links round-trip any path, like save links', () => {
    const url = mediaUrl('bafyroot', 'dir/a b#?.mp4')
    expect(url.startsWith(MEDIA_PREFIX)).toBe(true)
    expect(parseSaveUrl(new URL(url, 'http://x').pathname, MEDIA_PREFIX)).toEqual({ cid: 'bafyroot', path: 'dir/a b#?.mp4' })
    expect(parseSaveUrl(new URL(url, 'http://x').pathname)).toBeUndefined()
  })
})
