import { Field } from '../../components/Field.tsx'
import { type GoldFormValues, type PollFormValues, answerAfterRemoval, newGoldQuestion, pollBounds } from '../../lib/humanForm.ts'
import type { FormErrors } from '../../lib/taskForm.ts'
import { ListEditor } from './ListEditor.tsx'

type Props = { values: PollFormValues; errors: FormErrors; set: (patch: Partial<PollFormValues>) => void }

/** The fields of a poll: the question, its options, how many answer, who is paid, and gold questions. */
export function PollFields({ values: v, errors, set }: Props) {
  const setGold = (i: number, patch: Partial<GoldFormValues>) => set({ gold: v.gold.map((g, j) => (j === i ? { ...g, ...patch } : g)) })
  return (
    <>
      <Field id="payload.title" label="Question" error={errors['payload.title']} hint="What respondents answer, e.g. “Which logo reads best on a phone?”">
        <input value={v.title} maxLength={120} onChange={(e) => set({ title: e.target.value })} />
      </Field>
      <Field id="payload.description" label="Details" error={errors['payload.description']} hint="Optional context shown above the options">
        <textarea rows={3} value={v.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>
      <ListEditor
        id="payload.options"
        label="Options"
        hint={`${pollBounds.options.min} to ${pollBounds.options.max}, each different`}
        items={v.options}
        errors={errors}
        min={pollBounds.options.min}
        max={pollBounds.options.max}
        addLabel="Add an option"
        itemLabel={(i) => `Option ${i + 1}`}
        onChange={(options) => set({ options })}
      />
      <div className="row-3">
        <Field id="payload.respondents" label="Respondents" error={errors['payload.respondents']} hint="It closes when this many have voted">
          <input inputMode="numeric" value={v.respondents} onChange={(e) => set({ respondents: e.target.value })} />
        </Field>
        <Field id="payload.reward_rule" label="Who is paid" hint={v.rewardRule === 'majority' ? 'Voters of the winning option share the reward' : 'Every counted respondent shares it'}>
          <select value={v.rewardRule} onChange={(e) => set({ rewardRule: e.target.value as PollFormValues['rewardRule'] })}>
            <option value="majority">The majority</option>
            <option value="all">Everyone</option>
          </select>
        </Field>
        <Field id="payload.selection" label="Who may vote" hint={v.selection === 'open' ? 'Anyone who qualifies' : 'People drawn at random among those who qualify'}>
          <select value={v.selection} onChange={(e) => set({ selection: e.target.value as PollFormValues['selection'] })}>
            <option value="open">Open</option>
            <option value="random">Drawn at random</option>
          </select>
        </Field>
      </div>

      <fieldset className="fieldset">
        <legend>Gold questions</legend>
        <p className="field-hint">Questions you know the answer to. A respondent who misses one is not counted or paid; the answers are never shown to them.</p>
        {v.gold.map((g, i) => {
          const answerKey = `payload.gold.${i}.answer`
          const answerError = errors[answerKey]
          return (
            <div key={i} className="gold-card">
              <div className="gold-head">
                <strong>Gold question {i + 1}</strong>
                <button type="button" className="btn btn-ghost btn-small" onClick={() => set({ gold: v.gold.filter((_, j) => j !== i) })}>
                  Remove
                </button>
              </div>
              <Field id={`payload.gold.${i}.question`} label="Question" error={errors[`payload.gold.${i}.question`]}>
                <input value={g.question} onChange={(e) => setGold(i, { question: e.target.value })} />
              </Field>
              <ListEditor
                id={`payload.gold.${i}.options`}
                label="Answers (mark the right one)"
                items={g.options}
                errors={errors}
                min={pollBounds.goldOptions.min}
                max={pollBounds.goldOptions.max}
                addLabel="Add an answer"
                itemLabel={(j) => `Answer ${j + 1}`}
                onChange={(options, removed) => setGold(i, { options, answer: removed === undefined ? g.answer : answerAfterRemoval(g.answer, removed) })}
                marker={(j) => (
                  <input
                    type="radio"
                    id={j === 0 ? answerKey : undefined}
                    name={`gold-${i}-answer`}
                    aria-label={`Answer ${j + 1} is right`}
                    aria-invalid={answerError ? true : undefined}
                    aria-describedby={answerError ? `${answerKey}-error` : undefined}
                    checked={g.answer === j}
                    onChange={() => setGold(i, { answer: j })}
                  />
                )}
              />
              {answerError && (
                <p className="field-error" id={`${answerKey}-error`} role="alert">
                  {answerError}
                </p>
              )}
            </div>
          )
        })}
        {v.gold.length < pollBounds.gold && (
          <button type="button" className="btn btn-ghost btn-small" onClick={() => set({ gold: [...v.gold, newGoldQuestion()] })}>
            + Add a gold question
          </button>
        )}
      </fieldset>
    </>
  )
}
