import type { JSX } from 'solid-js'
import { qrImageUrl } from '../qr-image.ts'

/** The share link as a QR code, for a phone's camera. */
export function ShareQr (props: { link: string, name?: string }): JSX.Element {
  return (
    <img
      class="share-qr"
      data-testid="share-qr"
      src={qrImageUrl(props.link)}
      width="192"
      height="192"
      alt={`QR code of the share link${props.name != null ? ` for ${props.name}` : ''}: scan it with a phone to open ${props.link}`}
    />
  )
}
