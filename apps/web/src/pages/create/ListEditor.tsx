import type { ReactNode } from 'react'
import type { FormErrors } from '../../lib/taskForm.ts'

type ListEditorProps = {
  /** Items get the ids `${id}.0`, `${id}.1`…, the keys their errors come under. */
  id: string
  label: string
  items: string[]
  errors: FormErrors
  min: number
  max: number
  addLabel: string
  itemLabel: (index: number) => string
  /** The new items; `removed` is the index of the item just removed, if that is the change. */
  onChange: (items: string[], removed?: number) => void
  /** Something before each input, e.g. the radio that marks a gold question's right answer. */
  marker?: (index: number) => ReactNode
  hint?: string
}

/** An editable list of short texts (poll options, checklist items): add, edit, remove, within bounds. */
export function ListEditor({ id, label, items, errors, min, max, addLabel, itemLabel, onChange, marker, hint }: ListEditorProps) {
  const listError = errors[id]
  return (
    <fieldset className="fieldset list-editor">
      <legend>{label}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      <ol className="list-editor-items">
        {items.map((item, i) => {
          const key = `${id}.${i}`
          const error = errors[key]
          return (
            <li key={i} className={error ? 'field-invalid' : undefined}>
              <div className="list-editor-row">
                {marker?.(i)}
                <input
                  id={key}
                  aria-label={itemLabel(i)}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${key}-error` : undefined}
                  value={item}
                  onChange={(e) => onChange(items.map((x, j) => (j === i ? e.target.value : x)))}
                />
                <button type="button" className="icon-btn list-editor-remove" aria-label={`Remove ${itemLabel(i).toLowerCase()}`} disabled={items.length <= min} onClick={() => onChange(items.filter((_, j) => j !== i), i)}>
                  ✕
                </button>
              </div>
              {error && (
                <p className="field-error" id={`${key}-error`} role="alert">
                  {error}
                </p>
              )}
            </li>
          )
        })}
      </ol>
      {listError && (
        <p className="field-error" id={`${id}-error`} role="alert">
          {listError}
        </p>
      )}
      {items.length < max && (
        <button type="button" className="btn btn-ghost btn-small" onClick={() => onChange([...items, ''])}>
          + {addLabel}
        </button>
      )}
    </fieldset>
  )
}
