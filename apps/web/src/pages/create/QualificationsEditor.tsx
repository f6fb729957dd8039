import { qualificationFields } from '@taskmarket/core'
import { type QualificationRow, qualificationOps } from '../../lib/humanForm.ts'
import { humanize } from '../../lib/format.ts'
import type { FormErrors } from '../../lib/taskForm.ts'

type Props = { rows: QualificationRow[]; errors: FormErrors; onChange: (rows: QualificationRow[]) => void }

const MAX_RULES = 20
const placeholders: Partial<Record<string, string>> = { languages: 'de, en', region: 'Berlin', age: '18', nationality: 'DE', skills: 'driving, cooking', trust_level: '1', tasks_approved: '5' }

/** Rules on profile descriptors that a person must meet to see and take the task (every rule must hold). */
export function QualificationsEditor({ rows, errors, onChange }: Props) {
  const update = (i: number, patch: Partial<QualificationRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)))
  return (
    <fieldset className="fieldset">
      <legend>Who may take it</legend>
      <p className="field-hint">
        {rows.length === 0 ? 'Anyone signed in. ' : 'Only people whose profile meets every rule. '}
        Age, sex, religion and nationality match only people who chose to keep them for matching; nobody sees them.
      </p>
      {rows.length > 0 && (
        <ul className="rule-list">
          {rows.map((row, i) => {
            const key = `qualifications.${i}.value`
            const error = errors[key] ?? errors[`qualifications.${i}`]
            return (
              <li key={i} className={`rule${error ? ' field-invalid' : ''}`}>
                <select aria-label={`Rule ${i + 1}: descriptor`} value={row.field} onChange={(e) => update(i, { field: e.target.value as QualificationRow['field'] })}>
                  {qualificationFields.map((f) => (
                    <option key={f} value={f}>
                      {humanize(f)}
                    </option>
                  ))}
                </select>
                <select aria-label={`Rule ${i + 1}: test`} value={row.op} onChange={(e) => update(i, { op: e.target.value as QualificationRow['op'] })}>
                  {qualificationOps.map((o) => (
                    <option key={o.op} value={o.op}>
                      {o.label}
                    </option>
                  ))}
                </select>
                {row.op !== 'exists' && (
                  <input
                    id={key}
                    aria-label={`Rule ${i + 1}: value`}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${key}-error` : undefined}
                    placeholder={row.op === 'in' || row.op === 'not_in' ? `${placeholders[row.field] ?? 'a, b'}` : (placeholders[row.field]?.split(',')[0] ?? '')}
                    value={row.value}
                    onChange={(e) => update(i, { value: e.target.value })}
                  />
                )}
                <button type="button" className="icon-btn rule-remove" aria-label={`Remove rule ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>
                  ✕
                </button>
                {error && (
                  <p className="field-error rule-error" id={`${key}-error`} role="alert">
                    {error}
                  </p>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {rows.length < MAX_RULES && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange([...rows, { field: 'languages', op: 'in', value: '' }])}>
          + Add a rule
        </button>
      )}
    </fieldset>
  )
}
