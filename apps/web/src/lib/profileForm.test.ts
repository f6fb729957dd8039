import { describe, expect, it } from 'vitest'
import { profileBody, profileFormValues } from './profileForm.ts'

describe('profile form', () => {
  it('splits lists, normalises language and country codes, and keeps only given descriptors', () => {
    const v = { ...profileFormValues(), skills: 'driving, cooking, driving', languages: 'DE, pt_br', region: ' Berlin ', sensitiveOptIn: true, nationality: 'de', dateOfBirth: '1990-04-23' }
    expect(profileBody(v)).toEqual({
      errors: {},
      body: { descriptors: { skills: ['driving', 'cooking'], languages: ['de', 'pt-BR'], region: 'Berlin' }, sensitive_opt_in: true, sensitive: { date_of_birth: '1990-04-23', nationality: 'DE' } },
    })
  })

  it('sends no sensitive descriptors without the opt-in, whatever was typed', () => {
    const v = { ...profileFormValues(), sex: 'female', religion: 'none', sensitiveOptIn: false }
    expect(profileBody(v).body).toEqual({ descriptors: {}, sensitive_opt_in: false })
  })

  it('names the input of each problem', () => {
    const v = { ...profileFormValues(), languages: 'english', sensitiveOptIn: true, nationality: 'GER', occupation: 'x'.repeat(101) }
    expect(profileBody(v).errors).toEqual({
      'descriptors.languages': '“english” is not a language code: use two or three letters such as en, de or pt-BR',
      'descriptors.occupation': 'Occupation must be at most 100 characters',
      'sensitive.nationality': 'Two letters (ISO 3166), e.g. DE or BR',
    })
  })

  it('fills the form from a stored profile', () => {
    const v = profileFormValues({ descriptors: { skills: ['a', 'b'], languages: ['en'] }, sensitive_opt_in: true, sensitive: { sex: 'male' } })
    expect(v).toMatchObject({ skills: 'a, b', languages: 'en', sensitiveOptIn: true, sex: 'male', religion: '' })
  })
})
