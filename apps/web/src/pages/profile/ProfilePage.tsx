import { useEffect, useState } from 'react'
import { Field } from '../../components/Field.tsx'
import { ErrorNote, Loading, Notice } from '../../components/Feedback.tsx'
import { RequireSignIn } from '../../components/RequireSignIn.tsx'
import { ApiError, client, describeError, fieldMessage } from '../../lib/api.ts'
import type { FormErrors } from '../../lib/formChecks.ts'
import { type ProfileFormValues, profileBody, profileErrorKey, profileFormValues } from '../../lib/profileForm.ts'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { BlockedList } from './BlockedList.tsx'

/** Descriptors that match people to manual tasks and polls, the sensitive ones by opt-in, and blocked workers. */
export function ProfilePage() {
  return (
    <section className="page">
      <h1>Profile</h1>
      <p className="lead">Posters can limit manual tasks and polls to people with certain skills, languages or region. Describe yourself to see the work that fits you.</p>
      <RequireSignIn why="Your profile belongs to your account." next="/profile">
        <div className="grid-2 grid-wide-left">
          <ProfileForm />
          <BlockedList />
        </div>
      </RequireSignIn>
    </section>
  )
}

function ProfileForm() {
  const session = useSession()
  const profile = useAsync(() => client.profiles.get(), [session.address])
  const [form, setForm] = useState<ProfileFormValues>(() => profileFormValues())
  const [errors, setErrors] = useState<FormErrors>({})
  const [failure, setFailure] = useState<string>()
  const [saved, setSaved] = useState(false)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (profile.data) setForm(profileFormValues(profile.data))
  }, [profile.data])
  const set = (patch: Partial<ProfileFormValues>) => {
    setForm((f) => ({ ...f, ...patch }))
    setSaved(false)
  }

  const save = async () => {
    setFailure(undefined)
    const { errors: found, body } = profileBody(form)
    setErrors(found)
    if (!body) return
    setBusy(true)
    try {
      setForm(profileFormValues(await client.profiles.put(body)))
      setSaved(true)
    } catch (e) {
      if (e instanceof ApiError && e.field) setErrors({ [profileErrorKey(e.field)]: fieldMessage(e) })
      else setFailure(describeError(e))
    } finally {
      setBusy(false)
    }
  }

  if (profile.loading && !profile.data) return <Loading label="Loading your profile…" />
  const input = (key: keyof ProfileFormValues) => ({ value: form[key] as string, onChange: (e: { target: { value: string } }) => set({ [key]: e.target.value }) })
  return (
    <form className="card" noValidate onSubmit={(e) => (e.preventDefault(), void save())}>
      <ErrorNote error={profile.error} onRetry={profile.reload} />
      <h2 className="card-title">About you (public)</h2>
      <Field id="descriptors.skills" label="Skills" error={errors['descriptors.skills']} hint="Separated by commas, e.g. driving, photography, plumbing">
        <input {...input('skills')} />
      </Field>
      <Field id="descriptors.languages" label="Languages" error={errors['descriptors.languages']} hint="Language codes separated by commas, e.g. en, de, pt-BR">
        <input autoCapitalize="none" {...input('languages')} />
      </Field>
      <div className="row-2">
        <Field id="descriptors.region" label="Region" error={errors['descriptors.region']} hint="City or area, e.g. Berlin">
          <input {...input('region')} />
        </Field>
        <Field id="descriptors.occupation" label="Occupation" error={errors['descriptors.occupation']}>
          <input {...input('occupation')} />
        </Field>
      </div>
      <Field id="descriptors.interests" label="Interests" error={errors['descriptors.interests']} hint="Separated by commas">
        <input {...input('interests')} />
      </Field>

      <div className="sensitive">
        <label className="check check-inline">
          <input type="checkbox" checked={form.sensitiveOptIn} onChange={(e) => set({ sensitiveOptIn: e.target.checked })} /> Keep sensitive descriptors for matching
        </label>
        <p className="field-hint">
          Date of birth, sex, religion and nationality are used only to decide which tasks and polls you may take. They are never shown to anyone, posters included. Untick this and save to delete them.
        </p>
        {form.sensitiveOptIn && (
          <>
            <div className="row-2">
              <Field id="sensitive.date_of_birth" label="Date of birth" error={errors['sensitive.date_of_birth']}>
                <input type="date" {...input('dateOfBirth')} />
              </Field>
              <Field id="sensitive.nationality" label="Nationality" error={errors['sensitive.nationality']} hint="Two letters, e.g. DE">
                <input maxLength={2} autoCapitalize="characters" {...input('nationality')} />
              </Field>
            </div>
            <div className="row-2">
              <Field id="sensitive.sex" label="Sex" error={errors['sensitive.sex']}>
                <input {...input('sex')} />
              </Field>
              <Field id="sensitive.religion" label="Religion" error={errors['sensitive.religion']}>
                <input {...input('religion')} />
              </Field>
            </div>
          </>
        )}
      </div>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      {saved && <Notice kind="success">Saved. Matching uses it from now on.</Notice>}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {busy ? 'Saving…' : 'Save profile'}
      </button>
    </form>
  )
}
