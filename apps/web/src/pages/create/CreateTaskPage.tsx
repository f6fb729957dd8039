import { REQUESTABLE_TRUST_LEVELS, type ChallengeType, computeKinds, humanKinds } from '@taskmarket/core'
import { useEffect, useState } from 'react'
import { Field } from '../../components/Field.tsx'
import { Notice, SubmitRow } from '../../components/Feedback.tsx'
import { RequireSignIn } from '../../components/RequireSignIn.tsx'
import { ApiError, client, describeError, fieldMessage } from '../../lib/api.ts'
import { SYMBOL, toUnits } from '../../lib/format.ts'
import { requirementsField } from '../../lib/requirementsForm.ts'
import { navigate } from '../../lib/router.tsx'
import { type FormErrors, type TaskFormValues, defaultTaskForm, validateTaskForm, withUploads } from '../../lib/taskForm.ts'
import { createUploadCache } from '../../lib/uploadCache.ts'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { CostPreview } from './CostPreview.tsx'
import { HashFields, InferenceFields, RenderingFields, SyntheticFields, TrainingFields, WasmFields } from './KindFields.tsx'
import { ManualFields } from './ManualFields.tsx'
import { MarketQuote } from './MarketQuote.tsx'
import { PollFields } from './PollFields.tsx'
import { PostedNotice } from './PostedNotice.tsx'
import { QualificationsEditor } from './QualificationsEditor.tsx'
import { RequirementsFields } from './RequirementsFields.tsx'

export const kinds: { kind: ChallengeType; name: string; icon: string; text: string }[] = [
  { kind: 'rendering', name: 'Rendering', icon: '◐', text: 'Path-trace a 3D scene tile by tile; get a PNG' },
  { kind: 'hash', name: 'Data processing', icon: '#', text: 'Hash a dataset in chunks' },
  { kind: 'synthetic', name: 'Benchmark', icon: '▦', text: 'Synthetic matrix workload (GPU/CPU stress test)' },
  { kind: 'wasm', name: 'Custom code', icon: '⟨⟩', text: 'Your WebAssembly module over your data, sandboxed' },
  { kind: 'inference', name: 'AI inference', icon: '✦', text: 'A prompt to a model; answers judged by validators' },
  { kind: 'training', name: 'Training', icon: '∿', text: 'Train a model on a dataset shard' },
  { kind: 'manual', name: 'Manual task', icon: '✎', text: 'People do it and prove it: photo, place, signature' },
  { kind: 'poll', name: 'Poll', icon: '☷', text: 'Ask people; the majority’s voters are paid' },
]

export function CreateTaskPage() {
  return (
    <section className="page">
      <h1>Post a task</h1>
      <p className="lead">Describe the work, set the reward, and it is locked in escrow on chain. Workers are paid only for work that is verified (computations) or approved (people's work).</p>
      <RequireSignIn why="Posting a task locks its reward from your escrow balance, so you sign the order with your wallet." next="/tasks/new">
        <CreateTaskForm />
      </RequireSignIn>
    </section>
  )
}

export function CreateTaskForm({ onPosted = (id: string) => navigate(`/tasks/${id}`) }: { onPosted?: (id: string) => void }) {
  const session = useSession()
  const [form, setForm] = useState<TaskFormValues>(() => defaultTaskForm())
  const [errors, setErrors] = useState<FormErrors>({})
  const [stage, setStage] = useState<string>()
  const [failure, setFailure] = useState<string>()
  const [submitted, setSubmitted] = useState(false)
  const [posted, setPosted] = useState<{ id: string; warnings: string[] }>()
  // One upload per file, whether the quote or the post needs it first.
  const [uploadCache] = useState(() => createUploadCache((data, contentType) => client.blobs.upload(data, contentType)))
  const balance = useAsync(() => client.wallet.get(), [session.address, session.version], { enabled: session.status === 'signed-in', keep: true })
  const available = balance.data ? toUnits(balance.data.deposited) : undefined

  // After a first attempt, errors follow the input as it is corrected.
  useEffect(() => {
    if (submitted) setErrors(validateTaskForm(form, Date.now()).errors)
  }, [form, submitted])

  const set = <K extends keyof TaskFormValues>(key: K, value: TaskFormValues[K]) => setForm((f) => ({ ...f, [key]: value }))
  const patch = <K extends 'hash' | 'synthetic' | 'wasm' | 'rendering' | 'inference' | 'training' | 'manual' | 'poll' | 'requirements'>(key: K) => (p: Partial<TaskFormValues[K]>) => setForm((f) => ({ ...f, [key]: { ...f[key], ...p } }))
  const pickKind = (kind: ChallengeType) => {
    const d = defaultTaskForm(kind)
    setForm((f) => ({ ...f, kind, replicas: d.replicas, quorum: d.quorum }))
    setErrors({})
  }

  // After the errors render, focus the first invalid input in page order.
  const focusFirst = (errs: FormErrors) => {
    if (Object.keys(errs).length === 0) return
    setTimeout(() => document.querySelector<HTMLElement>('.create [aria-invalid="true"]')?.focus(), 0)
  }

  const submit = async () => {
    setFailure(undefined)
    setSubmitted(true)
    const { errors: errs, body, uploads } = validateTaskForm(form, Date.now())
    if (!body) {
      setErrors(errs)
      focusFirst(errs)
      return
    }
    if (available !== undefined && available < toUnits(body.reward)) {
      const e = { reward: `More than your escrow balance; deposit at least ${body.reward} ${SYMBOL} first` }
      setSubmitted(false)
      setErrors(e)
      focusFirst(e)
      return
    }
    setErrors({})
    try {
      setStage('Unlocking your wallet…')
      const signer = await session.getSigner('Unlock your wallet to sign the task order')
      const hashes = await uploadCache.hashes(uploads, (u) => setStage(`Uploading ${u.field.replace('payload.', '')}…`))
      setStage(signer.kind === 'injected' ? 'Sign the task order in your wallet…' : 'Signing the task order…')
      const created = await client.tasks.createSigned(signer.account as never, withUploads(body, hashes))
      session.notifyChange()
      // What the market warns about (no online worker runs this kind) is read here, before the task page.
      if (created.warnings?.length) setPosted({ id: created.task_id, warnings: created.warnings })
      else onPosted(created.task_id)
    } catch (error) {
      setSubmitted(false)
      if (error instanceof ApiError && error.field) {
        const field = error.field === 'payload.scene' ? 'payload.scene_file' : requirementsField(error.field)
        const e = { [field]: fieldMessage(error) }
        setErrors(e)
        if (document.getElementById(field)) focusFirst(e)
        else setFailure(error.message)
      } else setFailure(describeError(error))
    } finally {
      setStage(undefined)
    }
  }

  const compute = computeKinds.includes(form.kind)
  const human = humanKinds.includes(form.kind)
  const shares = form.kind === 'manual' ? form.manual.assignments : form.kind === 'poll' ? form.poll.respondents : form.replicas
  const replicas = Number(shares) || 1
  return (
    <form
      className="create"
      noValidate
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <div className="create-main">
        <fieldset className="card fieldset-card">
          <legend className="card-title">What kind of work?</legend>
          <div className="kind-grid" role="radiogroup" aria-label="Kind of task">
            {kinds.map((k) => (
              <label key={k.kind} className={`kind${form.kind === k.kind ? ' kind-on' : ''}`}>
                <input type="radio" name="kind" value={k.kind} checked={form.kind === k.kind} onChange={() => pickKind(k.kind)} className="sr-only" />
                <span className="kind-icon" aria-hidden="true">
                  {k.icon}
                </span>
                <span className="kind-name">{k.name}</span>
                <span className="kind-text">{k.text}</span>
              </label>
            ))}
          </div>
        </fieldset>

        <div className="card">
          <h2 className="card-title">{kinds.find((k) => k.kind === form.kind)?.name} details</h2>
          {!compute && !human && (
            <Notice kind="info">The local workers do not run this kind; the task waits for a node that serves it (and is refunded after its deadline if none does).</Notice>
          )}
          {form.kind === 'rendering' && <RenderingFields values={form.rendering} errors={errors} set={patch('rendering')} />}
          {form.kind === 'hash' && <HashFields values={form.hash} errors={errors} set={patch('hash')} />}
          {form.kind === 'synthetic' && <SyntheticFields values={form.synthetic} errors={errors} set={patch('synthetic')} />}
          {form.kind === 'wasm' && <WasmFields values={form.wasm} errors={errors} set={patch('wasm')} />}
          {form.kind === 'inference' && <InferenceFields values={form.inference} errors={errors} set={patch('inference')} />}
          {form.kind === 'training' && <TrainingFields values={form.training} errors={errors} set={patch('training')} />}
          {form.kind === 'manual' && <ManualFields values={form.manual} errors={errors} set={patch('manual')} />}
          {form.kind === 'poll' && <PollFields values={form.poll} errors={errors} set={patch('poll')} />}
        </div>

        {human && (
          <div className="card">
            <h2 className="card-title">Lifetime and who may take it</h2>
            <Field id="deadline" label="Lifetime (hours from now)" error={errors.deadline} hint={form.kind === 'poll' ? 'No votes after it; the poll closes then' : 'No claims after it; slots nobody did are refunded'}>
              <input inputMode="decimal" value={form.deadlineHours} onChange={(e) => set('deadlineHours', e.target.value)} />
            </Field>
            <QualificationsEditor rows={form.qualifications} errors={errors} onChange={(rows) => set('qualifications', rows)} />
          </div>
        )}

        {!human && (
          <div className="card">
            <h2 className="card-title">Verification and deadline</h2>
            <div className="row-2">
              <Field id="replication.target_results" label="Replicas per job" error={errors['replication.target_results']} hint="Independent nodes run each job">
                <input inputMode="numeric" value={form.replicas} onChange={(e) => set('replicas', e.target.value)} />
              </Field>
              <Field id="replication.min_quorum" label="Quorum" error={errors['replication.min_quorum']} hint="Identical results needed to accept">
                <input inputMode="numeric" value={form.quorum} onChange={(e) => set('quorum', e.target.value)} />
              </Field>
            </div>
            <div className="row-2">
              <Field id="deadline" label="Deadline (hours from now)" error={errors.deadline} hint="Unfinished work is refunded after it">
                <input inputMode="decimal" value={form.deadlineHours} onChange={(e) => set('deadlineHours', e.target.value)} />
              </Field>
              <Field id="min_trust_level" label="Minimum node trust level" error={errors.min_trust_level} hint={REQUESTABLE_TRUST_LEVELS[Number(form.minTrust)]?.detail}>
                <select value={form.minTrust} onChange={(e) => set('minTrust', e.target.value)}>
                  {REQUESTABLE_TRUST_LEVELS.map((t) => (
                    <option key={t.level} value={t.level}>
                      {t.level} · {t.name}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
            {compute && <RequirementsFields values={form.requirements} errors={errors} set={patch('requirements')} />}
          </div>
        )}

        {compute && <MarketQuote form={form} uploads={uploadCache} onUseReward={(reward) => set('reward', reward)} />}
      </div>

      <aside className="create-side">
        <div className="card sticky">
          <h2 className="card-title">Reward and cost</h2>
          <Field id="reward" label={`Reward (${SYMBOL})`} error={errors.reward} hint="At most 9 decimals">
            <input inputMode="decimal" autoComplete="off" value={form.reward} onChange={(e) => set('reward', e.target.value)} />
          </Field>
          <CostPreview reward={form.reward} kind={form.kind} replicas={replicas} available={available} />
          {posted ? (
            <PostedNotice taskId={posted.id} warnings={posted.warnings} onOpen={() => onPosted(posted.id)} onAgain={() => setPosted(undefined)} />
          ) : (
            <SubmitRow failure={failure} stage={stage} label="Post task" />
          )}
        </div>
      </aside>
    </form>
  )
}
