import type { AssignmentView } from '@taskmarket/core'
import { useEffect, useState } from 'react'
import { ProgressBar } from '../../../components/ProgressBar.tsx'
import { CameraIcon } from '../../../components/icons.tsx'
import { ApiError, describeError, fieldMessage } from '../../../lib/api.ts'
import { formatBytes } from '../../../lib/format.ts'
import { shrinkPhoto, uploadProof } from '../../../lib/uploadProof.ts'

type Props = {
  assignment: AssignmentView
  error?: string
  setError: (message: string | undefined) => void
  onUploaded: () => void
}

/** Takes a photo with the phone's camera (or picks one), shows it, and uploads it with its progress. */
export function PhotoProof({ assignment, error, setError, onUploaded }: Props) {
  const uploaded = assignment.proofs.photo
  const [preview, setPreview] = useState<string>()
  const [progress, setProgress] = useState<number>()
  useEffect(() => () => void (preview && URL.revokeObjectURL(preview)), [preview])

  const pick = async (file: File | undefined) => {
    if (!file) return
    setError(undefined)
    setPreview(file.type.startsWith('image/') ? URL.createObjectURL(file) : undefined)
    setProgress(0)
    try {
      await uploadProof(assignment.assignment_id, 'photo', await shrinkPhoto(file), setProgress)
      onUploaded()
    } catch (e) {
      setPreview(undefined)
      setError(e instanceof ApiError && e.field ? fieldMessage(e) : describeError(e))
    } finally {
      setProgress(undefined)
    }
  }

  const busy = progress !== undefined
  const shown = preview ?? uploaded?.url
  return (
    <div className={`proof${error ? ' field-invalid' : ''}`}>
      <div className="proof-head">
        <h3>Photo</h3>
        {uploaded && !busy && <span className="proof-done">✓ Uploaded · {formatBytes(uploaded.size)}</span>}
      </div>
      {shown && <img className="proof-photo" src={shown} alt="Your photo" data-testid="photo-preview" />}
      {busy && (
        <div className="upload-progress" role="status">
          <ProgressBar value={progress} label="Uploading the photo" />
          <span className="small muted">{progress > 0.99 ? 'Processing…' : `Uploading… ${Math.round(progress * 100)}%`}</span>
        </div>
      )}
      <label className={`btn ${uploaded ? 'btn-ghost' : 'btn-secondary'} btn-block file-btn${busy ? ' btn-disabled' : ''}`}>
        <input
          id="photo"
          type="file"
          accept="image/jpeg,image/png"
          capture="environment"
          className="sr-only"
          disabled={busy}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'photo-error' : undefined}
          onChange={(e) => {
            void pick(e.target.files?.[0])
            e.target.value = ''
          }}
        />
        {!uploaded && <CameraIcon />}
        {uploaded ? 'Retake the photo' : 'Take a photo'}
      </label>
      {error && (
        <p className="field-error" id="photo-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
