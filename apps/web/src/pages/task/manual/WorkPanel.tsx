import { type AssignmentView, type ManualPayload, type SubmitWorkBody, TaskMarketError, checkProofs } from '@taskmarket/core'
import { useRef, useState } from 'react'
import { Countdown } from '../../../components/Countdown.tsx'
import { SubmitRow } from '../../../components/Feedback.tsx'
import { type SignaturePadHandle, SignaturePad } from '../../../components/SignaturePad.tsx'
import { ApiError, client, describeError, fieldMessage } from '../../../lib/api.ts'
import type { FormErrors } from '../../../lib/formChecks.ts'
import type { Stamp } from '../../../lib/geolocation.ts'
import { uploadProof } from '../../../lib/uploadProof.ts'
import { useRevealOnMount } from '../../../state/useRevealOnMount.ts'
import { LocationProof } from './LocationProof.tsx'
import { PhotoProof } from './PhotoProof.tsx'

type Props = { assignment: AssignmentView; payload: ManualPayload; onChanged: () => void }

/**
 * The worker's side of a claimed assignment: each proof the task asks for, then Submit; a countdown to
 * the claim's end, and a way to give the task back.
 */
export function WorkPanel({ assignment: a, payload: p, onChanged }: Props) {
  const [errors, setErrors] = useState<FormErrors>({})
  const [stamp, setStamp] = useState<Stamp>()
  const [text, setText] = useState('')
  const [ticked, setTicked] = useState<boolean[]>(() => (p.checklist ?? []).map(() => false))
  const [signed, setSigned] = useState(false)
  const [stage, setStage] = useState<string>()
  const [failure, setFailure] = useState<string>()
  const [releasing, setReleasing] = useState(false)
  const pad = useRef<SignaturePadHandle>(null)
  const form = useRef<HTMLFormElement>(null)
  // Right after claiming, the panel may be below the fold (a phone's claim bar is at the bottom).
  useRevealOnMount(form)
  const wants = (k: ManualPayload['proofs'][number]) => p.proofs.includes(k)
  const setError = (key: string) => (message: string | undefined) =>
    setErrors(({ [key]: _, ...rest }) => (message ? { ...rest, [key]: message } : rest))

  const check = (): FormErrors => {
    const e: FormErrors = {}
    if (wants('photo') && !a.proofs.photo) e.photo = 'Take a photo first'
    if (wants('location') && !stamp) e.location = 'Stamp your location first'
    if (wants('signature') && !signed && !a.proofs.signature) e.signature = 'Sign in the box'
    if (wants('text') && !text.trim()) e.text = 'Write a few words'
    ticked.forEach((done, i) => !done && wants('checklist') && (e[`checklist.${i}`] = 'Tick this when it is done'))
    if (Object.keys(e).length) return e
    // Then the rules the server applies (core's), e.g. a location stamp too far from the task's place.
    try {
      checkProofs(p, { ...a.proofs, ...(signed ? { signature: 'signed' } : {}) }, body())
    } catch (error) {
      if (error instanceof TaskMarketError && error.field) e[error.field] = String(error.details?.reason ?? error.message)
    }
    return e
  }

  const body = (): SubmitWorkBody => ({
    ...(wants('location') && stamp ? { location: stamp } : {}),
    ...(wants('text') ? { text: text.trim() } : {}),
    ...(wants('checklist') ? { checklist: ticked } : {}),
  })

  const submit = async () => {
    setFailure(undefined)
    const found = check()
    setErrors(found)
    if (Object.keys(found).length) {
      setTimeout(() => document.querySelector<HTMLElement>('.work [aria-invalid="true"]')?.focus(), 0)
      return
    }
    try {
      if (wants('signature') && signed) {
        setStage('Saving the signature…')
        await uploadProof(a.assignment_id, 'signature', await pad.current!.toPng(), () => {})
      }
      setStage('Submitting…')
      await client.work.submit(a.assignment_id, body())
      onChanged()
    } catch (e) {
      if (e instanceof ApiError && e.field && e.field !== 'id') setErrors({ [e.field === 'checklist' ? 'checklist.0' : e.field]: fieldMessage(e) })
      else setFailure(describeError(e))
    } finally {
      setStage(undefined)
    }
  }

  const release = async () => {
    try {
      await client.work.release(a.assignment_id)
      onChanged()
    } catch (e) {
      setFailure(describeError(e))
      setReleasing(false)
    }
  }

  return (
    <form ref={form} className="card work" noValidate onSubmit={(e) => (e.preventDefault(), void submit())}>
      <div className="work-head">
        <h2 className="card-title">Do the work</h2>
        {a.expires_at && (
          <span className="small">
            Time left <Countdown until={a.expires_at} done="expired" />
          </span>
        )}
      </div>
      {wants('photo') && <PhotoProof assignment={a} error={errors.photo} setError={setError('photo')} onUploaded={onChanged} />}
      {wants('location') && <LocationProof place={p.place} stamp={stamp} onStamp={setStamp} error={errors.location} setError={setError('location')} />}
      {wants('signature') && (
        <div className={`proof${errors.signature ? ' field-invalid' : ''}`}>
          <div className="proof-head">
            <h3>Signature</h3>
            {a.proofs.signature && !signed && <span className="proof-done">✓ Saved</span>}
          </div>
          {a.proofs.signature && !signed && <img className="proof-signature" src={a.proofs.signature.url} alt="The saved signature" />}
          <SignaturePad id="signature" ref={pad} label={a.proofs.signature ? 'Sign again to replace it' : 'Signature box'} onChange={setSigned} />
          {errors.signature && (
            <p className="field-error" id="signature-error" role="alert">
              {errors.signature}
            </p>
          )}
        </div>
      )}
      {wants('text') && (
        <div className={`proof field${errors.text ? ' field-invalid' : ''}`}>
          <label htmlFor="text">
            <h3>Note</h3>
          </label>
          <textarea id="text" rows={3} maxLength={5000} value={text} aria-invalid={errors.text ? true : undefined} onChange={(e) => setText(e.target.value)} />
          {errors.text && <p className="field-error" role="alert">{errors.text}</p>}
        </div>
      )}
      {wants('checklist') && (
        <fieldset className="proof fieldset">
          <legend>
            <h3>Checklist</h3>
          </legend>
          {(p.checklist ?? []).map((item, i) => (
            <div key={i} className={errors[`checklist.${i}`] ? 'field-invalid' : undefined}>
              <label className="check-card">
                <input id={`checklist.${i}`} type="checkbox" checked={ticked[i] ?? false} aria-invalid={errors[`checklist.${i}`] ? true : undefined} onChange={(e) => setTicked((t) => t.map((x, j) => (j === i ? e.target.checked : x)))} />
                <span>{item}</span>
              </label>
              {errors[`checklist.${i}`] && <p className="field-error" role="alert">{errors[`checklist.${i}`]}</p>}
            </div>
          ))}
        </fieldset>
      )}
      <SubmitRow failure={failure} stage={stage} label="Submit the work" />
      <div className="release">
        {releasing ? (
          <>
            <span className="small">Give the task back? Someone else can take it.</span>
            <button type="button" className="btn btn-danger btn-small" onClick={() => void release()}>
              Yes, release it
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setReleasing(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => setReleasing(true)}>
            Release the task
          </button>
        )}
      </div>
    </form>
  )
}
