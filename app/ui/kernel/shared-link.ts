import { parseCidInput } from '../../core/content/parse-cid.ts'

/**
 * The first Chiral link or CID in what another app shared (url first, then
 * text, then title: "Look at this https://…/#/bafy…" is common), as a CID
 * string; undefined when there is none.
 */
export function findSharedCid (fields: readonly string[]): string | undefined {
  for (const field of fields) {
    for (const word of field.split(/\s+/)) {
      // a link at the end of a sentence often carries its punctuation
      const candidate = word.replace(/^[<("']+|[>)"'.,;:!?]+$/g, '')
      if (candidate === '') continue
      try {
        return parseCidInput(candidate).toString()
      } catch {}
    }
  }
  return undefined
}
