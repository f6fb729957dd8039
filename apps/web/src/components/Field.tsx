import { type ReactElement, type ReactNode, cloneElement } from 'react'

type FieldProps = {
  /** The input's id; also the key its error comes under (e.g. "payload.resolution"). */
  id: string
  label: ReactNode
  hint?: ReactNode
  error?: string
  children: ReactElement<Record<string, unknown>>
  className?: string
}

/** A labelled input with its hint and its error right beneath it, wired for screen readers. */
export function Field({ id, label, hint, error, children, className }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined
  const errorId = error ? `${id}-error` : undefined
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {cloneElement(children, { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
    </div>
  )
}
