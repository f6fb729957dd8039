import { type OwnProfile, ProfileBody } from '@taskmarket/core'
import { type FormErrors, formChecks } from './formChecks.ts'

/** The profile form as typed: lists as comma-separated text. */
export type ProfileFormValues = {
  skills: string
  languages: string
  region: string
  occupation: string
  interests: string
  /** Keep the sensitive descriptors for matching; off deletes them on the server. */
  sensitiveOptIn: boolean
  dateOfBirth: string
  sex: string
  religion: string
  nationality: string
}

type Profile = Omit<OwnProfile, 'address'>

/** The form's values for a stored profile (or an empty one). */
export function profileFormValues(p?: Profile): ProfileFormValues {
  const d = p?.descriptors ?? {}
  const s = p?.sensitive ?? {}
  return {
    skills: (d.skills ?? []).join(', '),
    languages: (d.languages ?? []).join(', '),
    region: d.region ?? '',
    occupation: d.occupation ?? '',
    interests: (d.interests ?? []).join(', '),
    sensitiveOptIn: p?.sensitive_opt_in ?? false,
    dateOfBirth: s.date_of_birth ?? '',
    sex: s.sex ?? '',
    religion: s.religion ?? '',
    nationality: s.nationality ?? '',
  }
}

/**
 * The input an error of the API (or the schema) belongs to: "descriptors.languages.2" → "descriptors.languages".
 * @example profileErrorKey('sensitive.nationality') // 'sensitive.nationality'
 */
export function profileErrorKey(field: string): string {
  return field.split('.').slice(0, 2).join('.')
}

/**
 * Checks the form and builds PUT /profile's body: lists split at commas without repeats, language codes
 * as "de" or "de-AT", nationality as two capitals; sensitive descriptors only with the opt-in.
 * @example profileBody({ ...profileFormValues(), languages: 'DE, en' }).body?.descriptors.languages // ['de', 'en']
 */
export function profileBody(v: ProfileFormValues): { errors: FormErrors; body?: ProfileBody } {
  const errors: FormErrors = {}
  const c = formChecks(errors)
  const list = (text: string) => [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))]
  const languages = list(v.languages).map((l) => l.replace(/^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z]{2}))?$/, (_, lang: string, region?: string) => (region ? `${lang.toLowerCase()}-${region.toUpperCase()}` : lang.toLowerCase())))
  const bad = languages.find((l) => !/^[a-z]{2,3}(-[A-Z]{2})?$/.test(l))
  if (bad) errors['descriptors.languages'] = `“${bad}” is not a language code: use two or three letters such as en, de or pt-BR`
  const text = (key: string, raw: string, label: string, max: number) => c.optional(key, raw, label, max)
  const descriptors = compact({
    skills: list(v.skills),
    languages,
    region: text('descriptors.region', v.region, 'Region', 100),
    occupation: text('descriptors.occupation', v.occupation, 'Occupation', 100),
    interests: list(v.interests),
  })
  const nationality = v.nationality.trim().toUpperCase()
  if (v.sensitiveOptIn && nationality && !/^[A-Z]{2}$/.test(nationality)) errors['sensitive.nationality'] = 'Two letters (ISO 3166), e.g. DE or BR'
  if (v.sensitiveOptIn && v.dateOfBirth && !/^\d{4}-\d{2}-\d{2}$/.test(v.dateOfBirth)) errors['sensitive.date_of_birth'] = 'A date such as 1990-04-23'
  const sensitive = v.sensitiveOptIn
    ? compact({ date_of_birth: v.dateOfBirth || undefined, sex: text('sensitive.sex', v.sex, 'Sex', 40), religion: text('sensitive.religion', v.religion, 'Religion', 100), nationality: nationality || undefined })
    : undefined
  const body = { descriptors, sensitive_opt_in: v.sensitiveOptIn, ...(sensitive ? { sensitive } : {}) } as ProfileBody
  if (Object.keys(errors).length === 0) c.schema(ProfileBody, body, '')
  for (const key of Object.keys(errors)) {
    const input = profileErrorKey(key)
    if (input !== key) {
      errors[input] ??= errors[key]!
      delete errors[key]
    }
  }
  return Object.keys(errors).length ? { errors } : { errors, body }
}

/** Drops empty values: the API keeps only descriptors a person gave. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0))) as Partial<T>
}
