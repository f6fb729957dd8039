import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { CHAIN_TASK_ID as taskId, hex32, jobRecordBatch } from '../test/jobRecords.ts'
import { checkRecord, verifyRecord } from './recordProof.ts'

const batch = () => jobRecordBatch(3)

describe('checking a job record in the browser', () => {
  it('rebuilds the leaf from the record and follows the proof to the root', () => {
    for (const r of batch()) expect(checkRecord(r, taskId)).toEqual({ leafOk: true, proofOk: true })
  })

  it('says the proof checks against the root the market lists when there is no chain to ask', async () => {
    const r = batch()[0]!
    const outcome = await verifyRecord(r, taskId)
    expect(outcome).toEqual({ ok: true, text: `Proof checks against root ${r.jobs_root.slice(0, 6)}…${r.jobs_root.slice(-4)}, the root the market lists` })
  })

  it('compares the root with the escrow’s for the record’s batch', async () => {
    const r = batch()[1]!
    const asked: Hex[] = []
    const anchored = await verifyRecord(r, taskId, async (id) => (asked.push(id), r.jobs_root))
    expect(asked).toEqual([r.batch_id])
    expect(anchored).toMatchObject({ ok: true, text: expect.stringMatching(/, anchored on chain$/) })
    expect(await verifyRecord(r, taskId, async () => hex32('99'))).toMatchObject({ ok: false, text: expect.stringMatching(/but the escrow anchored 0x9999…9999 for this batch$/) })
    expect(await verifyRecord(r, taskId, async () => hex32('00'))).toMatchObject({ ok: false, text: expect.stringMatching(/but the escrow holds no root for this batch$/) })
    expect(await verifyRecord(r, taskId, () => Promise.reject(new Error('rpc down')))).toMatchObject({ ok: true, text: expect.stringMatching(/the chain could not be read to compare it$/) })
  })

  it('names what failed: an altered field, or a proof that leads elsewhere; the chain is not asked then', async () => {
    const [a, b] = batch()
    const never = () => Promise.reject(new Error('must not be asked'))
    expect(await verifyRecord({ ...a!, result_hash: hex32('ee') }, taskId, never)).toEqual({ ok: false, text: 'The record’s fields do not hash to its leaf' })
    expect(await verifyRecord({ ...a!, verdict: 2 }, taskId)).toMatchObject({ ok: false })
    expect(await verifyRecord(a!, hex32('12'))).toMatchObject({ ok: false })
    expect(await verifyRecord({ ...a!, proof: b!.proof }, taskId, never)).toEqual({ ok: false, text: expect.stringMatching(/^The proof does not lead to root 0x/) })
  })
})
