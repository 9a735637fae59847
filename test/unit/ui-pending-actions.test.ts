import { createRoot } from 'solid-js'
import { describe, expect, it } from 'vitest'
import { createPendingActions, type ActionTarget } from '../../app/ui/kernel/pending-actions.ts'
import type { PickedFile } from '../../app/ui/kernel/picked-files.ts'
import { queuedLinkText, queuedShareText } from '../../app/ui/pending-text.ts'

const file = (path: string): PickedFile => ({ path, file: new File(['x'], path) })

function recorder (): ActionTarget & { calls: string[] } {
  const calls: string[] = []
  return {
    calls,
    share: files => { calls.push(`share:${files.map(f => f.path).join(',')}`) },
    open: link => { calls.push(`open:${link}`) }
  }
}

describe('actions taken before the peer runs', () => {
  it('are handed over once, shares first, links in the order given', () => {
    createRoot(dispose => {
      const pending = createPendingActions()
      pending.queueLink('bafyone')
      pending.queueShare([file('a.txt'), file('b.txt')])
      pending.queueLink('  bafytwo ')
      expect(pending.share()?.map(f => f.path)).toEqual(['a.txt', 'b.txt'])
      expect(pending.links()).toEqual(['bafyone', 'bafytwo'])
      const target = recorder()
      pending.drain(target)
      expect(target.calls).toEqual(['share:a.txt,b.txt', 'open:bafyone', 'open:bafytwo'])
      expect(pending.share()).toBeUndefined()
      expect(pending.links()).toEqual([])
      pending.drain(target) // nothing twice
      expect(target.calls).toHaveLength(3)
      dispose()
    })
  })

  it('keep the first share (the drop zone is busy while it waits) and a link once', () => {
    createRoot(dispose => {
      const pending = createPendingActions()
      pending.queueShare([])
      expect(pending.share()).toBeUndefined()
      pending.queueShare([file('first.txt')])
      pending.queueShare([file('second.txt')])
      pending.queueLink('bafyone')
      pending.queueLink('bafyone')
      pending.queueLink('   ')
      const target = recorder()
      pending.drain(target)
      expect(target.calls).toEqual(['share:first.txt', 'open:bafyone'])
      dispose()
    })
  })

  it('say what waits and that it starts by itself', () => {
    expect(queuedShareText([file('photo.jpg')])).toBe('Your peer is starting: “photo.jpg” will be shared as soon as it is up.')
    expect(queuedShareText([file('a'), file('b'), file('c')])).toContain('3 items will be shared as soon as it is up')
    expect(queuedLinkText('bafyone')).toBe('Your peer is starting: bafyone will download as soon as it is up.')
  })
})
