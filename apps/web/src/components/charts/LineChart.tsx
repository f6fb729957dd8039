import { compactNumber, linear, niceTicks } from '../../lib/chartMath.ts'
import { useWidth } from './useWidth.ts'
import { YGrid } from './YGrid.tsx'

export type Series = { name: string; color: string; points: { x: number; y: number }[] }

type Props = {
  series: Series[]
  /** What the chart shows, for screen readers. */
  label: string
  height?: number
  /** Draw as steps (a balance holds its value until the next event). */
  step?: boolean
  /** Fill under the first series. */
  area?: boolean
  formatX?: (x: number) => string
  formatY?: (y: number) => string
}

const pad = { top: 12, right: 16, bottom: 28, left: 52 }

/** A small SVG line chart with axes, gridlines and a legend; no library. */
export function LineChart({ series, label, height = 220, step = false, area = false, formatX, formatY = compactNumber }: Props) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const all = series.flatMap((s) => s.points)
  if (all.length === 0) return <div ref={ref} className="chart-empty">No data yet</div>
  const xs = all.map((p) => p.x)
  const ys = all.map((p) => p.y)
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(...ys), 4)
  // All points at one moment (a single point): that moment in the middle, its value drawn across.
  const instant = x1 === x0
  const x = linear(instant ? [x0 - 1, x0 + 1] : [x0, x1], [pad.left, width - pad.right])
  const y = linear([yTicks[0]!, yTicks[yTicks.length - 1]!], [height - pad.bottom, pad.top])
  const fmtX = formatX ?? timeFormatFor(x1 - x0)
  const xTickCount = Math.max(2, Math.min(6, Math.floor(width / 110)))
  const xTicks = instant ? [x0] : Array.from({ length: xTickCount }, (_, i) => x0 + ((x1 - x0) * i) / (xTickCount - 1))

  const path = (points: { x: number; y: number }[]) =>
    points
      .map((p, i) => {
        const px = x(p.x).toFixed(1)
        const py = y(p.y).toFixed(1)
        if (i === 0) return `M${px},${py}`
        return step ? `H${px}V${py}` : `L${px},${py}`
      })
      .join('')

  return (
    <figure className="chart" ref={ref}>
      <svg width={width} height={height} role="img" aria-label={label}>
        <YGrid ticks={yTicks} y={y} left={pad.left} right={width - pad.right} gap={8} format={formatY} />
        {xTicks.map((t, i) => (
          <text key={i} x={x(t)} y={height - 8} className="chart-tick" textAnchor={instant ? 'middle' : i === 0 ? 'start' : i === xTicks.length - 1 ? 'end' : 'middle'}>
            {fmtX(t)}
          </text>
        ))}
        {series.map((s, i) => {
          const points = s.points.length === 1 ? [{ x: instant ? x0 - 1 : s.points[0]!.x, y: s.points[0]!.y }, { x: instant ? x0 + 1 : x1, y: s.points[0]!.y }] : s.points
          const d = path(points)
          return (
            <g key={s.name}>
              {area && i === 0 && <path d={`${d}V${y(yTicks[0]!)}H${x(points[0]!.x)}Z`} fill={s.color} opacity={0.12} />}
              <path d={d} fill="none" stroke={s.color} strokeWidth={2} strokeLinejoin="round" />
              {s.points.length <= 40 && s.points.map((p, j) => <circle key={j} cx={x(p.x)} cy={y(p.y)} r={2.5} fill={s.color} />)}
            </g>
          )
        })}
      </svg>
      {series.length > 1 && (
        <figcaption className="legend">
          {series.map((s) => (
            <span key={s.name}>
              <i style={{ background: s.color }} aria-hidden="true" /> {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  )
}

/** Time labels as precise as the span needs: seconds within an hour, dates beyond two days. */
export function timeFormatFor(spanSeconds: number): (x: number) => string {
  if (spanSeconds < 3600) return (x) => new Date(x * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  if (spanSeconds < 2 * 86_400) return (x) => new Date(x * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
  return (x) => new Date(x * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })
}
