import type { ReactNode } from 'react'
import { describeError } from '../lib/api.ts'

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role={label ? 'status' : undefined} aria-label={label} />
}

/** A loading placeholder that screen readers announce. */
export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status">
      <Spinner /> <span>{label}</span>
    </div>
  )
}

export function EmptyState({ title, children, icon = '◇' }: { title: string; children?: ReactNode; icon?: string }) {
  return (
    <div className="empty">
      <div className="empty-icon" aria-hidden="true">
        {icon}
      </div>
      <p className="empty-title">{title}</p>
      {children && <div className="empty-body">{children}</div>}
    </div>
  )
}

export function ErrorNote({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null
  return (
    <div className="notice notice-error" role="alert">
      <span>{describeError(error)}</span>
      {onRetry && (
        <button type="button" className="btn btn-small btn-ghost" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  )
}

export function Notice({ kind = 'info', children, title }: { kind?: 'info' | 'warn' | 'success' | 'error'; children: ReactNode; title?: string }) {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : undefined}>
      {title && <strong className="notice-title">{title}</strong>}
      <div>{children}</div>
    </div>
  )
}

/** A form's closing row: the error of the last attempt, then the submit button showing the stage in progress. */
export function SubmitRow({ failure, stage, label }: { failure?: string; stage?: string; label: string }) {
  return (
    <>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block btn-large" disabled={!!stage}>
        {stage ?? label}
      </button>
    </>
  )
}
