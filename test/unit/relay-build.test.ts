import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { buildApp, isBuildStale } from '../../relay/build.ts'

const OLD = new Date('2024-01-01T00:00:00Z')
const NEW = new Date('2024-06-01T00:00:00Z')

describe('build if needed', () => {
  let root: string

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'chiral-build-'))
    await mkdir(join(root, 'app', 'ui'), { recursive: true })
    await mkdir(join(root, 'dist'))
    await writeFile(join(root, 'app', 'ui', 'app.tsx'), 'x')
    await utimes(join(root, 'app', 'ui', 'app.tsx'), OLD, OLD)
  })

  afterEach(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('is stale when dist/index.html is missing', async () => {
    expect(await isBuildStale(root)).toBe(true)
  })

  it('is fresh when dist/index.html is newer than every input', async () => {
    await writeFile(join(root, 'dist', 'index.html'), '')
    await utimes(join(root, 'dist', 'index.html'), NEW, NEW)
    expect(await isBuildStale(root)).toBe(false)
  })

  it.each([
    ['a nested app file', join('app', 'ui', 'app.tsx')],
    ['vite.config.ts', 'vite.config.ts'],
    ['a public file', join('public', 'icon.svg')]
  ])('is stale when %s changed after the build', async (_what, rel) => {
    await writeFile(join(root, 'dist', 'index.html'), '')
    await utimes(join(root, 'dist', 'index.html'), OLD, OLD)
    await mkdir(join(root, rel, '..'), { recursive: true })
    await writeFile(join(root, rel), 'changed')
    await utimes(join(root, rel), NEW, NEW)
    expect(await isBuildStale(root)).toBe(true)
  })

  it('runs node_modules/.bin/vite build and reports its failure as a BuildError', async () => {
    const bin = join(root, 'node_modules', '.bin')
    await mkdir(bin, { recursive: true })
    await writeFile(join(bin, 'vite'), 'process.exit(process.argv[2] === "build" ? 3 : 9)\n')
    const err = await buildApp(root).catch((e: unknown) => e as Error & { exitCode: number })
    expect(err).toMatchObject({ name: 'BuildError', exitCode: 1 })
    expect(err?.message).toMatch(/exited with code 3.*--no-build/)

    await writeFile(join(bin, 'vite'), 'process.exit(process.argv[2] === "build" ? 0 : 9)\n')
    await expect(buildApp(root)).resolves.toBeUndefined()
  })

  it('reports a missing vite as a BuildError', async () => {
    await expect(buildApp(root)).rejects.toMatchObject({ name: 'BuildError' })
  })
})
