import { createUniqueId, Show, type JSX } from 'solid-js'
import { formatSpeed } from '../format.ts'
import { SPEED_SAMPLE_MS, sparklinePoints } from '../speed-history.ts'
import '../styles-sharer.css'

const WIDTH = 120
const HEIGHT = 28

/** The current run's speed over the last seconds, as a small line; its name and a sentence for screen readers. */
export function SpeedGraph (props: { speeds: readonly number[], name: string }): JSX.Element {
  const id = createUniqueId()
  const peak = (): number => Math.max(0, ...props.speeds)
  const latest = (): number => props.speeds[props.speeds.length - 1] ?? 0
  const seconds = (): number => Math.round((props.speeds.length * SPEED_SAMPLE_MS) / 1000)
  const description = (): string => `Over the last ${seconds()} s: now ${formatSpeed(latest())}, peak ${formatSpeed(peak())}.`
  return (
    <Show when={props.speeds.length > 0}>
      <svg
        class="speed-graph"
        data-testid="speed-graph"
        data-samples={props.speeds.length}
        data-latest={Math.round(latest())}
        role="img"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-desc`}
        width={WIDTH}
        height={HEIGHT}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      >
        <title id={`${id}-title`}>Download speed of {props.name}</title>
        <desc id={`${id}-desc`}>{description()}</desc>
        <polyline class="speed-graph-line" points={sparklinePoints(props.speeds, WIDTH, HEIGHT)} />
      </svg>
    </Show>
  )
}
