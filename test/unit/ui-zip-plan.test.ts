import { describe, expect, it } from 'vitest'
import { planZip } from '../../app/sw/zip-entries.ts'
import { parseZipUrl, zipUrl } from '../../app/sw/zip-url.ts'
import { treeRows } from '../../app/ui/tree-rows.ts'

const CID = 'bafybeih7e5dmkyk25up5vxug4q3hrg2fxbzf23dfrac2fns5h7z4aa7ioi'
const f = (path: string) => ({ path, cid: 'x', size: 1 })

describe('zip plan and file tree rows', () => {
  it('a share of one folder zips as that folder', () => {
    const plan = planZip(CID, [f('album/a.txt'), f('album/sub/b.txt')])
    expect(plan.top).toBe('album')
    expect(plan.entries.map(e => e.name)).toEqual(['album/a.txt', 'album/sub/b.txt'])
  })

  it('anything else gets one top folder named after the share, so unpacking never scatters files', () => {
    for (const files of [[f('a.txt'), f('b.txt')], [f('album/a.txt'), f('b.txt')], [f('a.txt')]]) {
      const plan = planZip(CID, files)
      expect(plan.top).toBe('chiral-h7z4aa7ioi')
      for (const entry of plan.entries) expect(entry.name.startsWith(`${plan.top}/`)).toBe(true)
    }
  })

  it('zip links carry the CID', () => {
    expect(parseZipUrl(new URL(zipUrl(CID, 'a b'), 'http://x').pathname)).toEqual({ cid: CID })
    expect(parseZipUrl('/zip/')).toBeUndefined()
  })

  it('rows: each folder once before its files, by depth', () => {
    const rows = treeRows([f('a/b/c.txt'), f('a/b/d.txt'), f('a/e.txt'), f('z.txt')])
    expect(rows.map(r => `${r.depth}:${r.kind}:${r.name}`)).toEqual(['0:folder:a', '1:folder:b', '2:file:c.txt', '2:file:d.txt', '1:file:e.txt', '0:file:z.txt'])
  })
})
