import { describe, expect, it } from 'vitest'
import type { ManualPayload } from '../api/human.ts'
import { checkProofs } from './proofs.ts'

const proof = { sha256: 'ab'.repeat(32), content_type: 'image/png', size: 123 }
const berlin = { latitude: 52.52, longitude: 13.405, radius_m: 100 }
const base: ManualPayload = { title: 't', description: 'd', proofs: ['text'] }

describe('checkProofs', () => {
  it('refuses work missing a proof the task asks for, naming it', () => {
    const payload: ManualPayload = { ...base, proofs: ['photo', 'text'] }
    expect(() => checkProofs(payload, {}, { text: 'x' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'photo', message: expect.stringContaining('upload images before submitting') }))
    expect(() => checkProofs(payload, { photo: proof }, {})).toThrow(expect.objectContaining({ field: 'text' }))
    expect(checkProofs(payload, { photo: proof }, { text: 'x' })).toEqual({ text: 'x' })
  })

  it('wants one ticked answer per checklist item', () => {
    const payload: ManualPayload = { ...base, proofs: ['checklist'], checklist: ['lights off', 'door locked'] }
    expect(() => checkProofs(payload, {}, { checklist: [true] })).toThrow(expect.objectContaining({ field: 'checklist' }))
    expect(() => checkProofs(payload, {}, { checklist: [true, false] })).toThrow(expect.objectContaining({ field: 'checklist.1', message: 'checklist.1: "door locked" is not ticked' }))
    expect(checkProofs(payload, {}, { checklist: [true, true] })).toEqual({ checklist: [true, true] })
  })

  it('refuses a location outside the task’s place, its accuracy counting in its favour', () => {
    const payload: ManualPayload = { ...base, proofs: ['location'], place: berlin }
    const away = { latitude: 52.5215, longitude: 13.405 }
    expect(() => checkProofs(payload, {}, { location: away })).toThrow(expect.objectContaining({ field: 'location', message: 'location: is 167 m from the task’s place; it must be within 100 m' }))
    expect(() => checkProofs(payload, {}, { location: { ...away, accuracy_m: 60 } })).toThrow(expect.objectContaining({ field: 'location' }))
    expect(checkProofs(payload, {}, { location: { ...away, accuracy_m: 100, taken_at: 5 } })).toEqual({
      location: { ...away, accuracy_m: 100, distance_m: 167, taken_at: 5 },
    })
    expect(() => checkProofs(payload, {}, { location: { latitude: 48.8566, longitude: 2.3522 } })).toThrow(/is \d+\.\d km from/)
  })
})
