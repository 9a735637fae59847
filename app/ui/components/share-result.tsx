import type { JSX } from 'solid-js'
import type { ShareResult } from '../../core/types.ts'
import { formatBytes, shareLink } from '../format.ts'
import { CopyButton } from './copy-button.tsx'
import { FileTree } from './file-tree.tsx'
import { SaveAllButton } from './save-all-button.tsx'
import { ShareQr } from './share-qr.tsx'

/** What to send to others: the CID, the link, and the files it holds. */
export function ShareResultView (props: { result: ShareResult }): JSX.Element {
  const link = (): string => shareLink(location.origin, props.result.cid)
  const count = (): string => props.result.files.length === 1 ? '1 file' : `${props.result.files.length} files`
  return (
    <div class="share-result" data-testid="share-result">
      <div class="field">
        <span class="field-label" id="share-link-label">Share link</span>
        <div class="field-row">
          <a class="mono field-value" id="share-link" data-testid="share-link" aria-labelledby="share-link-label share-link" href={link()}>{link()}</a>
          <CopyButton testid="copy-link" text={link()} label="Copy the share link" />
        </div>
      </div>
      <div class="field">
        <span class="field-label" id="share-cid-label">CID</span>
        <div class="field-row">
          <code class="mono field-value" data-testid="share-cid" aria-labelledby="share-cid-label">{props.result.cid}</code>
          <CopyButton testid="copy-cid" text={props.result.cid} label="Copy the CID" />
        </div>
      </div>
      <ShareQr link={link()} />
      <p class="muted">{count()}, {formatBytes(props.result.totalBytes)}. Keep this tab open while others download.</p>
      <FileTree cid={props.result.cid} files={props.result.files.map(f => ({ ...f, complete: true, selected: true }))} />
      <div class="tree-actions">
        <SaveAllButton cid={props.result.cid} name={props.result.files[0]?.path.split('/')[0] ?? props.result.cid} ready some={false} />
      </div>
    </div>
  )
}
