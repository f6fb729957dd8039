import type { PollView } from '@taskmarket/core'
import { useState } from 'react'
import { ApiError, client, describeError, fieldMessage } from '../../../lib/api.ts'
import type { FormErrors } from '../../../lib/formChecks.ts'

/** The options as large radio buttons (easy to hit on a phone), the gold questions, and Vote. */
export function VoteForm({ poll: p, onVoted }: { poll: PollView; onVoted: () => void }) {
  const [option, setOption] = useState<number>()
  const [gold, setGold] = useState<(number | undefined)[]>(() => p.gold.map(() => undefined))
  const [errors, setErrors] = useState<FormErrors>({})
  const [failure, setFailure] = useState<string>()
  const [busy, setBusy] = useState(false)

  const vote = async () => {
    const found: FormErrors = {}
    if (option === undefined) found.option = 'Pick an answer'
    gold.forEach((g, i) => g === undefined && (found[`gold.${i}`] = 'Answer this question too'))
    setErrors(found)
    setFailure(undefined)
    if (Object.keys(found).length) return
    setBusy(true)
    try {
      await client.polls.vote(p.task_id, option!, p.gold.length ? (gold as number[]) : undefined)
      onVoted()
    } catch (e) {
      if (e instanceof ApiError && e.field && e.field !== 'id') setErrors({ [e.field]: fieldMessage(e) })
      else setFailure(describeError(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="card vote" noValidate onSubmit={(e) => (e.preventDefault(), void vote())}>
      <fieldset className="fieldset">
        <legend className="card-title">Your answer</legend>
        <div className="choices" role="radiogroup" aria-invalid={errors.option ? true : undefined} aria-describedby={errors.option ? 'option-error' : undefined}>
          {p.options.map((label, i) => (
            <label key={i} className={`choice${option === i ? ' choice-on' : ''}`}>
              <input type="radio" name="option" value={i} checked={option === i} onChange={() => setOption(i)} />
              <span>{label}</span>
            </label>
          ))}
        </div>
        {errors.option && (
          <p className="field-error" id="option-error" role="alert">
            {errors.option}
          </p>
        )}
      </fieldset>
      {p.gold.map((q, i) => (
        <fieldset key={i} className="fieldset gold-question">
          <legend>{q.question}</legend>
          <div className="choices choices-small" role="radiogroup">
            {q.options.map((label, j) => (
              <label key={j} className={`choice${gold[i] === j ? ' choice-on' : ''}`}>
                <input type="radio" name={`gold-${i}`} value={j} checked={gold[i] === j} onChange={() => setGold((g) => g.map((x, k) => (k === i ? j : x)))} />
                <span>{label}</span>
              </label>
            ))}
          </div>
          {errors[`gold.${i}`] && (
            <p className="field-error" role="alert">
              {errors[`gold.${i}`]}
            </p>
          )}
        </fieldset>
      ))}
      {p.gold.length > 0 && <p className="small muted">The last {p.gold.length === 1 ? 'question checks' : `${p.gold.length} questions check`} attention: miss one and your vote is not counted or paid.</p>}
      {(failure || errors.gold) && (
        <p className="field-error" role="alert">
          {failure ?? errors.gold}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block btn-large" disabled={busy}>
        {busy ? 'Voting…' : 'Vote'}
      </button>
      <p className="small muted">One vote per person; it cannot be changed.</p>
    </form>
  )
}
