import { describe, expect, it } from 'vitest'
import { address, useTestMarket } from '../testMarket.ts'
import { registerNode } from '../../repositories/nodes.ts'
import { runsOf } from '../../repositories/runs.ts'
import { vouchNode } from './vouch.ts'

const m = useTestMarket()
const [w1, w2, operator] = [address(1), address(2), address(0xaa)]
const register = (worker: typeof w1) => registerNode(m.db, { address: worker, cores: 1, memoryMb: 1, executors: ['synthetic', 'hash'], concurrency: 1, version: null })

describe('the operator vouching for a node', () => {
  it('raises the node’s run on each kind to the proven mark, keeps a longer one, and records who vouched', async () => {
    await register(w1)
    await m.db.query(`INSERT INTO node_runs (worker, kind, consecutive_valid) VALUES ($1, 'hash', 40)`, [w1])
    await m.run(vouchNode, { worker: w1, kinds: ['synthetic', 'hash', 'synthetic'], by: operator, minRun: 10 })
    expect(await runsOf(m.db, w1)).toEqual(new Map([['hash', { consecutiveValid: 40 }], ['synthetic', { consecutiveValid: 10 }]]))
    const rows = await m.db.query<{ vouched_by: string }>('SELECT vouched_by FROM node_runs WHERE worker = $1', [w1])
    expect(rows.map((r) => r.vouched_by)).toEqual([operator, operator])
  })

  it('refuses an address that never registered as a node, and changes nothing', async () => {
    await expect(m.run(vouchNode, { worker: w2, kinds: ['synthetic'], by: operator, minRun: 10 })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'address' })
    expect((await runsOf(m.db, w2)).size).toBe(0)
  })
})
