import { describe, expect, it } from 'vitest'
import { parseSaveUrl, saveUrl } from '../../app/sw/save-url.ts'
import { asciiFallback, baseName, contentDisposition, encodeRfc8187 } from '../../app/sw/content-disposition.ts'

describe('save URLs', () => {
  it('round-trips cid and path, nested paths and odd characters included', () => {
    for (const path of ['a.txt', 'dir/sub/b c.bin', 'dir/../x', 'ünï cödé ✓.pdf', '100% #1?.txt', '.hidden']) {
      const url = saveUrl('bafyroot', path)
      expect(url.startsWith('/save/bafyroot/')).toBe(true)
      expect(url.slice('/save/bafyroot/'.length)).not.toContain('/')
      expect(new URL(url, 'http://x').pathname).toBe(url) // no dot-segment normalisation
      expect(parseSaveUrl(url)).toEqual({ cid: 'bafyroot', path })
    }
  })

  it('cannot be made to point outside a share with dot segments', () => {
    for (const path of ['.', '..']) {
      expect(parseSaveUrl(new URL(saveUrl('bafyroot', path), 'http://x').pathname)).toBeUndefined()
    }
  })

  it('rejects malformed save paths', () => {
    expect(parseSaveUrl('/save/')).toBeUndefined()
    expect(parseSaveUrl('/save/bafy')).toBeUndefined()
    expect(parseSaveUrl('/save/bafy/')).toBeUndefined()
    expect(parseSaveUrl('/save/bafy/%E0%A4%A')).toBeUndefined()
    expect(parseSaveUrl('/other/bafy/a')).toBeUndefined()
  })
})

describe('Content-Disposition', () => {
  it('gives an ASCII fallback and a UTF-8 filename*', () => {
    expect(contentDisposition('report.pdf')).toBe('attachment; filename="report.pdf"; filename*=UTF-8\'\'report.pdf')
    expect(contentDisposition('résumé (1).txt'))
      .toBe('attachment; filename="resume (1).txt"; filename*=UTF-8\'\'r%C3%A9sum%C3%A9%20%281%29.txt')
  })

  it('keeps the fallback a safe quoted-string', () => {
    expect(asciiFallback('a"b\\c.txt')).toBe('a_b_c.txt')
    expect(asciiFallback('日本.txt')).toBe('__.txt')
    expect(asciiFallback('✓')).toBe('_')
    expect(asciiFallback('')).toBe('download')
  })

  it('percent-encodes outside attr-char', () => {
    expect(encodeRfc8187("it's (x)*.txt")).toBe('it%27s%20%28x%29%2A.txt')
  })

  it('takes the last path segment as the name', () => {
    expect(baseName('dir/sub/file.txt')).toBe('file.txt')
    expect(baseName('file.txt')).toBe('file.txt')
  })
})
