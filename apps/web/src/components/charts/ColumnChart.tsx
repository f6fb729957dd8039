import { compactNumber, linear, niceTicks } from '../../lib/chartMath.ts'
import { useWidth } from './useWidth.ts'
import { YGrid } from './YGrid.tsx'

export type Column = { x: number; values: number[] }

/** Grouped vertical columns over time (e.g. tasks posted and completed per hour), in SVG. */
export function ColumnChart({ columns, names, colors, label, height = 200, formatX }: { columns: Column[]; names: string[]; colors: string[]; label: string; height?: number; formatX: (x: number) => string }) {
  const [ref, width] = useWidth<HTMLDivElement>()
  const pad = { top: 10, right: 8, bottom: 26, left: 36 }
  const max = Math.max(1, ...columns.flatMap((c) => c.values))
  const ticks = niceTicks(0, max, 4)
  const y = linear([0, ticks[ticks.length - 1]!], [height - pad.bottom, pad.top])
  const slot = (width - pad.left - pad.right) / Math.max(1, columns.length)
  const bar = Math.max(1, (slot * 0.8) / names.length)
  const every = Math.ceil(columns.length / Math.max(2, Math.floor(width / 70)))
  return (
    <figure className="chart" ref={ref}>
      <svg width={width} height={height} role="img" aria-label={label}>
        <YGrid ticks={ticks} y={y} left={pad.left} right={width - pad.right} gap={6} format={compactNumber} />
        {columns.map((c, i) => (
          <g key={c.x}>
            {c.values.map((v, j) => (
              <rect key={j} x={pad.left + i * slot + slot * 0.1 + j * bar} y={y(v)} width={bar} height={Math.max(0, y(0) - y(v))} fill={colors[j]} rx={1.5}>
                <title>{`${names[j]}: ${v} (${formatX(c.x)})`}</title>
              </rect>
            ))}
            {i % every === 0 && (
              <text x={pad.left + i * slot + slot / 2} y={height - 8} className="chart-tick" textAnchor="middle">
                {formatX(c.x)}
              </text>
            )}
          </g>
        ))}
      </svg>
      <figcaption className="legend">
        {names.map((n, j) => (
          <span key={n}>
            <i style={{ background: colors[j] }} aria-hidden="true" /> {n}
          </span>
        ))}
      </figcaption>
    </figure>
  )
}
