import { describe, expect, it } from 'vitest'
import { answerAfterRemoval, newGoldQuestion, pollBounds, qualificationsOf } from './humanForm.ts'
import { type TaskFormValues, defaultTaskForm, validateTaskForm } from './taskForm.ts'

const now = 1_700_000_000_000

function manualForm(): TaskFormValues {
  const f = defaultTaskForm('manual')
  f.reward = '10'
  f.manual = { ...f.manual, title: ' Deliver a parcel ', description: 'Pick it up at the kiosk', proofs: ['photo', 'location', 'signature'], placeOn: true, latitude: '52.52', longitude: '13.405', radius: '150', label: 'Town hall', assignments: '4' }
  return f
}

function pollForm(): TaskFormValues {
  const f = defaultTaskForm('poll')
  f.poll = { ...f.poll, title: 'Which logo?', options: ['Round', 'Square', 'Star'], respondents: '5' }
  return f
}

describe('manual task form', () => {
  it('builds the payload, the lifetime as deadline, and no replication or trust level', () => {
    const { errors, body } = validateTaskForm(manualForm(), now)
    expect(errors).toEqual({})
    expect(body).toEqual({
      challenge_type: 'manual',
      reward: '10',
      deadline: now / 1000 + 24 * 3600,
      payload: {
        title: 'Deliver a parcel',
        description: 'Pick it up at the kiosk',
        place: { latitude: 52.52, longitude: 13.405, radius_m: 150, label: 'Town hall' },
        proofs: ['photo', 'location', 'signature'],
        assignments: 4,
        assignment_minutes: 120,
        auto_approve_hours: 72,
      },
    })
  })

  it('names every bad field with the key the API uses', () => {
    const f = manualForm()
    f.manual = { ...f.manual, title: '', description: '  ', latitude: '91', longitude: 'east', radius: '5', proofs: [], assignments: '0', assignmentMinutes: '2', autoApproveHours: '1.5' }
    expect(validateTaskForm(f, now).errors).toEqual({
      'payload.title': 'Title is required',
      'payload.description': 'Description is required',
      'payload.place.latitude': 'Latitude must be from -90 to 90',
      'payload.place.longitude': 'Longitude must be a number',
      'payload.place.radius_m': 'Radius must be at least 10',
      'payload.proofs': 'Ask for at least one proof',
      'payload.assignments': 'Assignments must be at least 1',
      'payload.assignment_minutes': 'Time to do it must be at least 5',
      'payload.auto_approve_hours': 'Review time must be a whole number',
    })
  })

  it('asks for checklist items only when the checklist is a proof, and leaves the place out when off', () => {
    const f = manualForm()
    f.manual = { ...f.manual, placeOn: false, latitude: 'x', proofs: ['checklist', 'text'], checklist: ['Ring the bell', ''] }
    expect(validateTaskForm(f, now).errors).toEqual({ 'payload.checklist.1': 'An item is required' })
    f.manual.checklist = ['Ring the bell', 'Leave it at the door']
    const { body } = validateTaskForm(f, now)
    expect(body?.payload).toMatchObject({ proofs: ['checklist', 'text'], checklist: ['Ring the bell', 'Leave it at the door'] })
    expect(body?.payload).not.toHaveProperty('place')
  })

  it('refuses a reward too small to split among the assignments', () => {
    const f = manualForm()
    f.reward = '0.000000003'
    expect(validateTaskForm(f, now).errors).toEqual({ reward: 'Too small to pay 4 assignments (at most 9 decimals each)' })
  })
})

describe('poll form', () => {
  it('builds the payload with options, respondents, rules and gold questions', () => {
    const f = pollForm()
    f.poll.gold = [{ question: 'What is 2 + 2?', options: ['3', '4'], answer: 1 }]
    f.poll.selection = 'random'
    const { errors, body } = validateTaskForm(f, now)
    expect(errors).toEqual({})
    expect(body?.payload).toEqual({ title: 'Which logo?', options: ['Round', 'Square', 'Star'], respondents: 5, reward_rule: 'majority', selection: 'random', gold: [{ question: 'What is 2 + 2?', options: ['3', '4'], answer: 1 }] })
    expect(body).not.toHaveProperty('replication')
  })

  it('names empty and repeated options, too few options and bad gold questions', () => {
    const f = pollForm()
    f.poll = { ...f.poll, title: '', options: ['Round', ' round ', ''], respondents: '100000', gold: [{ question: '', options: ['yes', ''], answer: 0 }] }
    expect(validateTaskForm(f, now).errors).toEqual({
      'payload.title': 'Title is required',
      'payload.options.1': 'Same as option 1',
      'payload.options.2': 'An option is required',
      'payload.respondents': `Respondents must be at most ${pollBounds.respondents.max!.toLocaleString()}`,
      'payload.gold.0.question': 'The question is required',
      'payload.gold.0.options.1': 'An answer is required',
    })
    f.poll = { ...f.poll, title: 'Q', options: ['only one'], respondents: '3', gold: [] }
    expect(validateTaskForm(f, now).errors).toEqual({ 'payload.options': 'Give at least 2 options' })
  })

  it('refuses a gold question with no answer marked right; a new one has none marked', () => {
    expect(newGoldQuestion().answer).toBeNull()
    const f = pollForm()
    f.poll.gold = [{ ...newGoldQuestion(), question: 'What is 2 + 2?', options: ['3', '4'] }]
    const { errors, body } = validateTaskForm(f, now)
    expect(errors).toEqual({ 'payload.gold.0.answer': 'Mark the right answer' })
    expect(body).toBeUndefined()
    f.poll.gold[0]!.answer = 0
    expect(validateTaskForm(f, now).errors).toEqual({})
  })

  it('keeps the marked answer on its option when another is removed, and clears it when its own is', () => {
    expect(answerAfterRemoval(2, 0)).toBe(1)
    expect(answerAfterRemoval(1, 2)).toBe(1)
    expect(answerAfterRemoval(1, 1)).toBeNull()
    expect(answerAfterRemoval(null, 0)).toBeNull()
  })
})

describe('qualifications', () => {
  it('splits lists, turns numeric descriptors into numbers and drops the value of "exists"', () => {
    const errors = {}
    const list = qualificationsOf(
      [
        { field: 'languages', op: 'in', value: 'de, en,' },
        { field: 'age', op: 'gte', value: '18' },
        { field: 'skills', op: 'exists', value: 'ignored' },
        { field: 'trust_level', op: 'in', value: '1, 2' },
      ],
      errors,
    )
    expect(errors).toEqual({})
    expect(list).toEqual([
      { field: 'languages', op: 'in', value: ['de', 'en'] },
      { field: 'age', op: 'gte', value: 18 },
      { field: 'skills', op: 'exists' },
      { field: 'trust_level', op: 'in', value: [1, 2] },
    ])
  })

  it('reports each bad row under its own key, and goes into the body of human kinds only', () => {
    const errors = {}
    qualificationsOf([{ field: 'age', op: 'gt', value: 'old' }, { field: 'region', op: 'not_in', value: ' , ' }], errors)
    expect(errors).toEqual({ 'qualifications.0.value': 'A number', 'qualifications.1.value': 'Give one value or more, separated by commas' })
    const f = pollForm()
    f.qualifications = [{ field: 'region', op: 'eq', value: 'Berlin' }]
    expect(validateTaskForm(f, now).body?.qualifications).toEqual([{ field: 'region', op: 'eq', value: 'Berlin' }])
    const r = defaultTaskForm('rendering')
    r.qualifications = f.qualifications
    expect(validateTaskForm(r, now).body).not.toHaveProperty('qualifications')
  })
})
