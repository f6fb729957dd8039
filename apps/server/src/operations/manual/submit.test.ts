import { describe, expect, it } from 'vitest'
import { answerDigest } from '../payouts.ts'
import { START, address, useTestMarket } from '../testMarket.ts'
import { recordProof } from './proofs.ts'
import { submitWork } from './submit.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const place = { latitude: 52.52, longitude: 13.405, radius_m: 100 }
const here = { latitude: 52.5201, longitude: 13.405 }
const photo = { sha256: 'ab'.repeat(32), content_type: 'image/jpeg', size: 10 }

/** A claimed slot of a task asking for a photo, a text and a location stamp in Berlin. */
async function claimed(o: { assignmentMinutes?: number } = {}) {
  const task = await m.manualTask({ proofs: ['photo', 'text', 'location'], place, autoApproveHours: 2, ...o })
  return { task, id: await m.claimSlot(w1, task.id) }
}
const submit = (assignmentId: string, body: object, worker = w1) => m.run(submitWork, { worker, assignmentId, body })

describe('submitWork', () => {
  it('submits work with every proof: the answer, its digest, and the review due after the task’s delay', async () => {
    const { task, id } = await claimed()
    await m.run(recordProof, { worker: w1, assignmentId: id, kind: 'photo', proof: photo })
    const uploaded = (await m.assignmentRow(id)).answer
    m.clock.advance(100)
    const heard = m.heard(`task:${task.id}`)
    await submit(id, { text: 'done', location: here })
    const row = await m.assignmentRow(id)
    const answer = { ...uploaded, text: 'done', location: { ...here, accuracy_m: null, distance_m: 11, taken_at: null } }
    expect(answer.photo).toEqual({ ...photo, uploaded_at: START / 1000 })
    expect(row).toMatchObject({ status: 'submitted', answer, digest: answerDigest(answer), submitted_at: new Date(START + 100_000), review_due_at: new Date(START + 100_000 + 2 * 3_600_000), progress: 1 })
    expect(heard).toEqual([{ type: 'ASSIGNMENT', taskId: task.id, assignmentId: id, status: 'submitted' }])
  })

  it('refuses work missing a proof, or stamped outside the place, and leaves the claim as it was', async () => {
    const { id } = await claimed()
    await expect(submit(id, { text: 'done', location: here })).rejects.toMatchObject({ code: 'VALIDATION', field: 'photo' })
    await m.run(recordProof, { worker: w1, assignmentId: id, kind: 'photo', proof: photo })
    await expect(submit(id, { location: here })).rejects.toMatchObject({ code: 'VALIDATION', field: 'text' })
    await expect(submit(id, { text: 'done', location: { latitude: 52.53, longitude: 13.405 } })).rejects.toMatchObject({ code: 'VALIDATION', field: 'location' })
    expect(await m.assignmentRow(id)).toMatchObject({ status: 'leased', digest: null, submitted_at: null })
  })

  it('refuses a second submission, someone else’s, and one after the claim expired on the clock', async () => {
    const { id } = await claimed({ assignmentMinutes: 5 })
    await m.run(recordProof, { worker: w1, assignmentId: id, kind: 'photo', proof: photo })
    await expect(submit(id, { text: 'x', location: here }, w2)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    m.clock.advance(5 * 60)
    await expect(submit(id, { text: 'x', location: here })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('expired') })
    const other = await m.manualTask()
    const twice = await m.claimSlot(w2, other.id)
    await submit(twice, { text: 'x' }, w2)
    await expect(submit(twice, { text: 'x' }, w2)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('is submitted') })
    expect((await m.assignmentRow(id)).status).toBe('leased')
  })
})
