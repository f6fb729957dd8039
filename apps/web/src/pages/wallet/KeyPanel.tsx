import { useState } from 'react'
import { Field } from '../../components/Field.tsx'
import { Notice } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { Modal } from '../../components/Modal.tsx'
import { describeError } from '../../lib/api.ts'
import { useSession } from '../../state/session.tsx'

/** Backing up the in-browser key: the encrypted file, or the plain key after the password. */
export function KeyPanel() {
  const session = useSession()
  const [password, setPassword] = useState('')
  const [revealed, setRevealed] = useState<string>()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)
  const [removing, setRemoving] = useState(false)
  const stored = session.stored
  if (!stored || stored.address.toLowerCase() !== session.address?.toLowerCase()) return null

  const download = () => {
    const blob = new Blob([JSON.stringify(stored, null, 2)], { type: 'application/json' })
    const a = document.createElement('a')
    a.href = URL.createObjectURL(blob)
    a.download = `taskmarket-wallet-${stored.address.slice(2, 10)}.json`
    a.click()
    setTimeout(() => URL.revokeObjectURL(a.href), 1000)
  }

  return (
    <div className="card">
      <h2 className="card-title">Your key</h2>
      <p className="muted">
        The key of this account lives only in this browser, encrypted with your password. Back it up: if this browser's data is cleared, the backup is the only way back to your tokens.
      </p>
      <div className="actions actions-start">
        <button type="button" className="btn btn-secondary" onClick={download}>
          Download encrypted backup
        </button>
        <button type="button" className="btn btn-ghost" onClick={() => setRemoving(true)}>
          Remove from this browser…
        </button>
      </div>
      {removing && (
        <Modal title="Remove the wallet from this browser?" onClose={() => setRemoving(false)}>
          <p>
            The encrypted key of <Hex value={stored.address} copy={false} /> is deleted from this browser and you are signed out. Without a backup, the tokens of this account cannot be reached again.
          </p>
          <div className="actions">
            <button type="button" className="btn btn-ghost" onClick={() => setRemoving(false)}>
              Keep it
            </button>
            <button
              type="button"
              className="btn btn-danger"
              onClick={async () => {
                session.forgetWallet()
                await session.logout()
              }}
            >
              Remove and sign out
            </button>
          </div>
        </Modal>
      )}
      {revealed ? (
        <Notice kind="warn" title="Your private key: anyone who has it controls your tokens">
          <Hex value={revealed} full />
          <div className="actions actions-start">
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setRevealed(undefined)}>
              Hide
            </button>
          </div>
        </Notice>
      ) : (
        <form
          className="inline-form"
          onSubmit={async (e) => {
            e.preventDefault()
            setBusy(true)
            setError(undefined)
            try {
              setRevealed(await session.exportKey(password))
              setPassword('')
            } catch (err) {
              setError(describeError(err))
            } finally {
              setBusy(false)
            }
          }}
        >
          <Field id="export-password" label="Password to show the private key" error={error}>
            <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </Field>
          <button type="submit" className="btn btn-secondary" disabled={busy || !password}>
            {busy ? 'Decrypting…' : 'Show private key'}
          </button>
        </form>
      )}
    </div>
  )
}
