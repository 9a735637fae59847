import { describe, expect, it } from 'vitest'
import { readDropped, pickedFiles } from '../../app/ui/kernel/picked-files.ts'

/** In-memory FileSystemEntry fakes: folders answer readEntries in batches, as Chromium does (100 at a time). */
function fileEntry (name: string, body = name): FileSystemEntry {
  return { name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => { ok(new File([body], name)) } } as unknown as FileSystemEntry
}
function folderEntry (name: string, children: FileSystemEntry[], batch = 2): FileSystemEntry {
  return {
    name,
    isFile: false,
    isDirectory: true,
    createReader: () => {
      let at = 0
      return { readEntries: (ok: (e: FileSystemEntry[]) => void) => { ok(children.slice(at, at += batch)) } }
    }
  } as unknown as FileSystemEntry
}

describe('ui: dropped and picked folders', () => {
  it('reads a dropped folder tree with every file at its path, all batches of each folder, hidden files left out', async () => {
    const dropped = [
      folderEntry('album', [
        fileEntry('a.txt'), fileEntry('.DS_Store'), fileEntry('b.txt'),
        folderEntry('photos', [fileEntry('c.jpg'), folderEntry('2024', [fileEntry('d.jpg')]), folderEntry('.git', [fileEntry('x')])]),
        folderEntry('empty', []), folderEntry('only-hidden', [fileEntry('.keep')])
      ]),
      fileEntry('loose.txt')
    ]
    const files = await readDropped(dropped)
    expect(files.map(f => f.path).sort()).toEqual(['album/a.txt', 'album/b.txt', 'album/empty', 'album/only-hidden', 'album/photos/2024/d.jpg', 'album/photos/c.jpg', 'loose.txt'])
    expect(await files.find(f => f.path === 'album/photos/c.jpg')?.file?.text()).toBe('c.jpg')
    expect(files.filter(f => f.file == null).map(f => f.path).sort()).toEqual(['album/empty', 'album/only-hidden']) // empty folders, kept as Kubo keeps them
  })

  it('a folder nested past the bound is refused with a FolderReadError', async () => {
    let deep = folderEntry('leaf', [fileEntry('x')])
    for (let i = 0; i < 70; i++) deep = folderEntry(`d${i}`, [deep])
    await expect(readDropped([deep])).rejects.toMatchObject({ name: 'FolderReadError', reason: 'too-deep' })
  })

  it('a folder that cannot be read is a FolderReadError', async () => {
    const broken = { name: 'x', isFile: false, isDirectory: true, createReader: () => ({ readEntries: (_ok: unknown, fail: (e: Error) => void) => { fail(new Error('NotReadableError')) } }) } as unknown as FileSystemEntry
    await expect(readDropped([broken])).rejects.toMatchObject({ name: 'FolderReadError', reason: 'unreadable' })
  })

  it('a folder picker’s files keep their relative path; files picked alone their name', () => {
    const inFolder = Object.assign(new File(['1'], 'a.txt'), {})
    Object.defineProperty(inFolder, 'webkitRelativePath', { value: 'album/sub/a.txt' })
    const hidden = new File(['2'], '.env')
    Object.defineProperty(hidden, 'webkitRelativePath', { value: 'album/.env' })
    const alone = new File(['3'], 'b.txt')
    Object.defineProperty(alone, 'webkitRelativePath', { value: '' })
    expect(pickedFiles([inFolder, hidden, alone] as unknown as FileList).map(f => f.path)).toEqual(['album/sub/a.txt', 'b.txt'])
  })
})
