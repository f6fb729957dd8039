import { percent } from '../lib/format.ts'

export function ProgressBar({ value, label, tone = 'brand' }: { value: number; label: string; tone?: 'brand' | 'success' | 'danger' }) {
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0))
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(v * 100)} aria-valuetext={percent(v)}>
      <div className={`progress-fill progress-${tone}`} style={{ width: `${v * 100}%` }} />
    </div>
  )
}
