import { compactNumber } from '../../lib/chartMath.ts'

export type Bar = { label: string; value: number; color?: string; display?: string }

/** Horizontal bars with their values; scales to the largest bar. Works at any width (HTML, not SVG). */
export function BarChart({ bars, label }: { bars: Bar[]; label: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value))
  return (
    <div className="bars" role="list" aria-label={label}>
      {bars.map((b) => (
        <div className="bar-row" role="listitem" key={b.label} aria-label={`${b.label}: ${b.display ?? b.value}`}>
          <span className="bar-label">{b.label}</span>
          <span className="bar-track" aria-hidden="true">
            <span className="bar-fill" style={{ width: `${(b.value / max) * 100}%`, background: b.color }} />
          </span>
          <span className="bar-value">{b.display ?? compactNumber(b.value)}</span>
        </div>
      ))}
    </div>
  )
}
