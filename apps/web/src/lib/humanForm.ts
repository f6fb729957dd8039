import { MANUAL_DEFAULTS, ManualPayload, PollPayload, type ProofKind, Qualifications, qualificationFields } from '@taskmarket/core'
import { type FormErrors, formChecks } from './formChecks.ts'

/** The manual-task part of the create form, as typed. */
export type ManualFormValues = {
  title: string
  description: string
  /** Whether the work happens at a place (then a location stamp is checked against it). */
  placeOn: boolean
  latitude: string
  longitude: string
  radius: string
  label: string
  proofs: ProofKind[]
  checklist: string[]
  assignments: string
  assignmentMinutes: string
  autoApproveHours: string
}

/** A gold question as typed; `answer` is the index of the option marked right, null until one is marked. */
export type GoldFormValues = { question: string; options: string[]; answer: number | null }

/** The poll part of the create form, as typed. */
export type PollFormValues = {
  title: string
  description: string
  options: string[]
  respondents: string
  rewardRule: 'majority' | 'all'
  selection: 'open' | 'random'
  gold: GoldFormValues[]
}

export type QualificationOp = 'in' | 'not_in' | 'exists' | 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'
/** One row of the qualifications editor; `value` is comma-separated for `in` and `not_in`. */
export type QualificationRow = { field: (typeof qualificationFields)[number]; op: QualificationOp; value: string }

export const qualificationOps: { op: QualificationOp; label: string }[] = [
  { op: 'in', label: 'is one of' },
  { op: 'not_in', label: 'is none of' },
  { op: 'eq', label: '=' },
  { op: 'ne', label: '≠' },
  { op: 'gte', label: '≥' },
  { op: 'gt', label: '>' },
  { op: 'lte', label: '≤' },
  { op: 'lt', label: '<' },
  { op: 'exists', label: 'is set' },
]

/** Descriptors compared as numbers; the rest are words. */
const numericFields = new Set<string>(['age', 'trust_level', 'tasks_approved'])

export const manualBounds = {
  assignments: schemaBounds(ManualPayload, 'assignments'),
  assignment_minutes: schemaBounds(ManualPayload, 'assignment_minutes'),
  auto_approve_hours: schemaBounds(ManualPayload, 'auto_approve_hours'),
  radius_m: { min: 10, max: 100_000 },
}
export const pollBounds = { respondents: schemaBounds(PollPayload, 'respondents'), options: { min: 2, max: 20 }, gold: 5, goldOptions: { min: 2, max: 10 } }

export function defaultManualForm(): ManualFormValues {
  return { title: '', description: '', placeOn: false, latitude: '', longitude: '', radius: '100', label: '', proofs: ['photo'], checklist: [''], assignments: String(MANUAL_DEFAULTS.assignments), assignmentMinutes: String(MANUAL_DEFAULTS.assignmentMinutes), autoApproveHours: String(MANUAL_DEFAULTS.autoApproveHours) }
}

/** A new gold question: two empty answers, none marked right (the poster must choose). */
export function newGoldQuestion(): GoldFormValues {
  return { question: '', options: ['', ''], answer: null }
}

/**
 * The marked answer after the answers list changed: it follows its option when one above it is removed, and
 * is cleared when its own option is removed.
 * @example answerAfterRemoval(2, 0) // 1
 */
export function answerAfterRemoval(answer: number | null, removed: number): number | null {
  if (answer === null || removed === answer) return null
  return removed < answer ? answer - 1 : answer
}

export function defaultPollForm(): PollFormValues {
  return { title: '', description: '', options: ['', ''], respondents: '5', rewardRule: 'majority', selection: 'open', gold: [] }
}

/**
 * Checks the manual-task fields and builds its payload; problems go into `errors` under the API's keys.
 * @example manualPayload({ ...defaultManualForm(), title: 'Deliver', description: 'A parcel' }, {}) // { title: 'Deliver', … }
 */
export function manualPayload(v: ManualFormValues, errors: FormErrors): Record<string, unknown> {
  const c = formChecks(errors)
  const payload: Record<string, unknown> = {
    title: c.required('payload.title', v.title, 'Title', 120),
    description: c.required('payload.description', v.description, 'Description', 5_000),
  }
  if (v.placeOn) {
    const label = c.optional('payload.place.label', v.label, 'Label', 200)
    payload.place = {
      latitude: c.number('payload.place.latitude', v.latitude, { min: -90, max: 90 }, 'Latitude'),
      longitude: c.number('payload.place.longitude', v.longitude, { min: -180, max: 180 }, 'Longitude'),
      radius_m: c.int('payload.place.radius_m', v.radius, manualBounds.radius_m, 'Radius'),
      ...(label ? { label } : {}),
    }
  }
  if (v.proofs.length === 0) errors['payload.proofs'] = 'Ask for at least one proof'
  payload.proofs = v.proofs
  if (v.proofs.includes('checklist')) {
    const items = v.checklist.map((item, i) => c.required(`payload.checklist.${i}`, item, 'An item', 200))
    if (items.length === 0) errors['payload.checklist'] = 'Add at least one item'
    payload.checklist = items
  }
  payload.assignments = c.int('payload.assignments', v.assignments, manualBounds.assignments, 'Assignments')
  payload.assignment_minutes = c.int('payload.assignment_minutes', v.assignmentMinutes, manualBounds.assignment_minutes, 'Time to do it')
  payload.auto_approve_hours = c.int('payload.auto_approve_hours', v.autoApproveHours, manualBounds.auto_approve_hours, 'Review time')
  return payload
}

/**
 * Checks the poll fields and builds its payload; problems go into `errors` under the API's keys.
 * @example pollPayload({ ...defaultPollForm(), title: 'Best logo?', options: ['A', 'B'] }, {}).options // ['A', 'B']
 */
export function pollPayload(v: PollFormValues, errors: FormErrors): Record<string, unknown> {
  const c = formChecks(errors)
  const description = c.optional('payload.description', v.description, 'Description', 5_000)
  const options = v.options.map((o, i) => c.required(`payload.options.${i}`, o, 'An option', 200))
  options.forEach((o, i) => {
    const first = options.findIndex((p) => p.toLowerCase() === o.toLowerCase())
    if (o && first < i) errors[`payload.options.${i}`] = `Same as option ${first + 1}`
  })
  if (options.length < pollBounds.options.min) errors['payload.options'] = `Give at least ${pollBounds.options.min} options`
  if (options.length > pollBounds.options.max) errors['payload.options'] = `At most ${pollBounds.options.max} options`
  const gold = v.gold.map((g, i) => {
    const goldOptions = g.options.map((o, j) => c.required(`payload.gold.${i}.options.${j}`, o, 'An answer', 200))
    if (goldOptions.length < pollBounds.goldOptions.min) errors[`payload.gold.${i}.options`] = 'Give at least 2 answers'
    if (g.answer === null || g.answer < 0 || g.answer >= goldOptions.length) errors[`payload.gold.${i}.answer`] = 'Mark the right answer'
    return { question: c.required(`payload.gold.${i}.question`, g.question, 'The question', 500), options: goldOptions, answer: g.answer }
  })
  return {
    title: c.required('payload.title', v.title, 'Title', 120),
    ...(description ? { description } : {}),
    options,
    respondents: c.int('payload.respondents', v.respondents, pollBounds.respondents, 'Respondents'),
    reward_rule: v.rewardRule,
    selection: v.selection,
    ...(gold.length ? { gold } : {}),
  }
}

/**
 * Turns the editor's rows into the API's qualifications: lists split at commas, numbers for numeric
 * descriptors; undefined when there are none.
 * @example qualificationsOf([{ field: 'languages', op: 'in', value: 'de, en' }], {}) // [{ field: 'languages', op: 'in', value: ['de', 'en'] }]
 */
export function qualificationsOf(rows: QualificationRow[], errors: FormErrors): unknown[] | undefined {
  if (rows.length === 0) return undefined
  const c = formChecks(errors)
  const list = rows.map((row, i) => {
    const key = `qualifications.${i}.value`
    const numeric = numericFields.has(row.field)
    const scalar = (raw: string) => (numeric ? Number(raw) : raw)
    if (row.op === 'exists') return { field: row.field, op: row.op }
    if (row.op === 'in' || row.op === 'not_in') {
      const values = row.value.split(',').map((s) => s.trim()).filter(Boolean)
      if (values.length === 0) errors[key] = 'Give one value or more, separated by commas'
      else if (numeric && values.some((s) => !Number.isFinite(Number(s)))) errors[key] = 'Numbers only, separated by commas'
      return { field: row.field, op: row.op, value: values.map(scalar) }
    }
    const text = c.required(key, row.value, 'A value', 100)
    if (text && numeric && !Number.isFinite(Number(text))) errors[key] = 'A number'
    return { field: row.field, op: row.op, value: scalar(text) }
  })
  if (!Object.keys(errors).some((k) => k.startsWith('qualifications.'))) c.schema(Qualifications, list, 'qualifications')
  return list
}

function schemaBounds(schema: unknown, prop: string): { min?: number; max?: number } {
  const s = (schema as { properties: Record<string, { minimum?: number; maximum?: number }> }).properties[prop]
  return { min: s?.minimum, max: s?.maximum }
}
