import { onMount } from 'solid-js'
import { useErrors } from './error-context.tsx'
import { usePeer } from './peer-context.tsx'
import { pickUpSharedItems } from './shared-items.ts'

/** Renders nothing: picks up what was shared with Chiral once this tab's peer runs. */
export function ShareTargetPickup (): null {
  const { shares } = usePeer()
  const errors = useErrors()
  onMount(() => {
    if (typeof caches === 'undefined') return
    pickUpSharedItems({
      share: async (files) => { await shares.share(files.map(file => ({ file, path: file.name }))) },
      openCid: (cid) => { location.hash = `#/${cid}` },
      report: (err) => { errors.report(err) },
      storage: caches,
      location,
      replaceUrl: (url) => { history.replaceState(history.state, '', url) }
    }).catch((err: unknown) => { errors.report(err) })
  })
  return null
}
