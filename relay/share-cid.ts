import { createReadStream } from 'node:fs'
import { access, constants, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { importShare } from '../app/core/content/import-share.ts'
import { InputFileError } from './errors.ts'
import type { ShareResult } from '../app/core/types.ts'

/** Read size per chunk: large enough to keep syscalls few, small enough to never matter for memory. */
const READ_CHUNK_BYTES = 1_048_576

/** A store that keeps nothing: computing a CID needs the blocks' hashes, not the blocks. */
const DISCARDING_STORE = { put: async (): Promise<void> => {} }

/**
 * The share the app would create from these files, computed by streaming them
 * (never whole in memory). Its `cid` is what the app shows and what
 * `ipfs add --cid-version=1 --wrap-with-directory` prints for the same files.
 */
export async function shareCidOfFiles (paths: readonly string[], options: { signal?: AbortSignal } = {}): Promise<ShareResult> {
  if (paths.length === 0) throw new InputFileError('Name at least one file')
  for (const path of paths) await checkReadableFile(path)
  const inputs = paths.map(path => ({
    name: basename(path),
    content: createReadStream(path, { highWaterMark: READ_CHUNK_BYTES, signal: options.signal }) as AsyncIterable<Uint8Array>
  }))
  return await importShare(inputs, DISCARDING_STORE, { signal: options.signal })
}

/** Fail before importing anything, with a message that names the file. */
async function checkReadableFile (path: string): Promise<void> {
  try {
    const stats = await stat(path)
    if (!stats.isFile()) throw new InputFileError(`${path} is not a regular file (directories are not supported; name the files)`)
    await access(path, constants.R_OK)
  } catch (err) {
    if (err instanceof InputFileError) throw err
    const code = (err as NodeJS.ErrnoException).code
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message
    throw new InputFileError(`Cannot read ${path}: ${reason}`, { cause: err })
  }
}
