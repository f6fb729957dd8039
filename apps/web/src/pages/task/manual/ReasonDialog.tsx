import { useState } from 'react'
import { Field } from '../../../components/Field.tsx'
import { Modal } from '../../../components/Modal.tsx'
import { describeError } from '../../../lib/api.ts'

type Props = { title: string; explain: string; action: string; danger?: boolean; optional?: boolean; onConfirm: (reason: string) => Promise<void>; onClose: () => void }

/** Asks for the reason of a rejection, a dispute or a block, and runs the action with it. */
export function ReasonDialog({ title, explain, action, danger, optional, onConfirm, onClose }: Props) {
  const [reason, setReason] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const confirm = async () => {
    if (!optional && !reason.trim()) return setError('Say why, so the worker (and an operator) can understand')
    setBusy(true)
    try {
      await onConfirm(reason.trim())
      onClose()
    } catch (e) {
      setError(describeError(e))
      setBusy(false)
    }
  }
  return (
    <Modal title={title} onClose={onClose}>
      <form noValidate onSubmit={(e) => (e.preventDefault(), void confirm())}>
        <p className="muted small">{explain}</p>
        <Field id="reason" label={optional ? 'Reason (optional)' : 'Reason'} error={error}>
          <textarea rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <div className="actions">
          <button type="button" className="btn btn-ghost" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={busy}>
            {busy ? 'Sending…' : action}
          </button>
        </div>
      </form>
    </Modal>
  )
}
