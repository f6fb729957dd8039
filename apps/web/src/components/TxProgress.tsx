import type { TxStep } from '../state/useTransactions.ts'
import { Spinner } from './Feedback.tsx'
import { Hex } from './Hex.tsx'

const text: Record<TxStep['status'], string> = {
  waiting: 'Waiting',
  signing: 'Signing…',
  pending: 'Sent, waiting to be mined…',
  mined: 'Mined',
  failed: 'Failed',
  skipped: 'Not needed',
}

/** The steps of a transaction flow and where each one is, until it is mined. */
export function TxProgress({ steps, error }: { steps: TxStep[]; error?: string }) {
  if (steps.length === 0 && !error) return null
  return (
    <div className="tx" aria-live="polite">
      <ol className="tx-steps">
        {steps.map((s, i) => (
          <li key={i} className={`tx-step tx-${s.status}`}>
            <span className="tx-icon" aria-hidden="true">
              {s.status === 'signing' || s.status === 'pending' ? <Spinner /> : s.status === 'mined' ? '✓' : s.status === 'failed' ? '✕' : s.status === 'skipped' ? '–' : '○'}
            </span>
            <span className="tx-label">{s.label}</span>
            <span className="tx-state">
              {text[s.status]}
              {s.block !== undefined && s.status === 'mined' ? ` in block ${s.block}` : ''}
            </span>
            {s.hash && (
              <span className="tx-hash">
                tx <Hex value={s.hash} />
              </span>
            )}
            {s.error && <span className="tx-error">{s.error}</span>}
          </li>
        ))}
      </ol>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
