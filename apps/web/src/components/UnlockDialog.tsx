import { useState } from 'react'
import { describeError } from '../lib/api.ts'
import { shortHex } from '../lib/format.ts'
import { Field } from './Field.tsx'
import { Modal } from './Modal.tsx'

/** Asks for the wallet password when a signature is needed and the key is still encrypted. */
export function UnlockDialog({ reason, address, onUnlock, onCancel }: { reason: string; address?: string; onUnlock: (password: string) => Promise<void>; onCancel: () => void }) {
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  return (
    <Modal title="Unlock your wallet" onClose={onCancel}>
      <form
        onSubmit={async (e) => {
          e.preventDefault()
          setBusy(true)
          setError(undefined)
          try {
            await onUnlock(password)
          } catch (err) {
            setError(describeError(err))
            setBusy(false)
          }
        }}
      >
        <p className="muted">
          {reason}. The key of {shortHex(address)} is encrypted in this browser; your password decrypts it here and is never sent.
        </p>
        <Field id="unlock-password" label="Password" error={error}>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <div className="actions">
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !password}>
            {busy ? 'Unlocking…' : 'Unlock'}
          </button>
        </div>
      </form>
    </Modal>
  )
}
