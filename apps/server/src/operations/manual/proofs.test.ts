import { describe, expect, it } from 'vitest'
import { START, address, useTestMarket } from '../testMarket.ts'
import { proofTarget, recordProof } from './proofs.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const proof = { sha256: 'ab'.repeat(32), content_type: 'image/png', size: 123 }

describe('proofTarget and recordProof', () => {
  it('let the claimant add the proofs the task asks for, stamped with the clock’s time', async () => {
    const task = await m.manualTask({ proofs: ['photo', 'signature', 'text'] })
    const id = await m.claimSlot(w1, task.id)
    m.clock.advance(7)
    await m.run(proofTarget, { worker: w1, assignmentId: id, kind: 'photo' })
    await m.run(recordProof, { worker: w1, assignmentId: id, kind: 'photo', proof })
    await m.run(recordProof, { worker: w1, assignmentId: id, kind: 'signature', proof: { ...proof, size: 9 } })
    expect((await m.assignmentRow(id)).answer).toEqual({
      photo: { ...proof, uploaded_at: START / 1000 + 7 },
      signature: { ...proof, size: 9, uploaded_at: START / 1000 + 7 },
    })
  })

  it('refuse a proof the task does not ask for, and anyone but the claimant', async () => {
    const task = await m.manualTask({ proofs: ['photo'] })
    const id = await m.claimSlot(w1, task.id)
    await expect(m.run(proofTarget, { worker: w1, assignmentId: id, kind: 'signature' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'kind' })
    await expect(m.run(proofTarget, { worker: w2, assignmentId: id, kind: 'photo' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(m.run(recordProof, { worker: w2, assignmentId: id, kind: 'photo', proof })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect((await m.assignmentRow(id)).answer).toEqual({})
  })
})
