/** A chart's horizontal grid lines with their labels on the left, one per tick. */
export function YGrid({ ticks, y, left, right, gap, format }: { ticks: number[]; y: (v: number) => number; left: number; right: number; gap: number; format: (v: number) => string }) {
  return (
    <>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={left} x2={right} y1={y(t)} y2={y(t)} className="chart-grid" />
          <text x={left - gap} y={y(t)} className="chart-tick" textAnchor="end" dominantBaseline="middle">
            {format(t)}
          </text>
        </g>
      ))}
    </>
  )
}
