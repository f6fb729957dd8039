import type { NodeView } from '@taskmarket/sdk'
import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { TASK_ID, WORKER, hex32, jobRecordBatch } from '../../test/jobRecords.ts'
import { NodeRecordsTable } from './JobHistory.tsx'
import { NodeTrust } from './NodePage.tsx'

const address = WORKER
const task = TASK_ID

const node: NodeView = {
  address,
  registered: true,
  stake: '100',
  unstaking: '0',
  trust_level: 1,
  pow_passes: 1,
  tasks_completed: 3,
  tasks_failed: 1,
  verified_power: '1000',
  earned: '2.76',
  jobs_accepted: 3,
  jobs_rejected: 1,
  last_seen: 1_700_000_000,
  executors: ['hash'],
  cores: 4,
  memory_mb: 8192,
  state: 'Earning',
  trust_level_name: 'Basic',
  reputation_bps: 3846,
  leases: 2,
  stake_at_risk: '10',
  slashes: [
    { reason: 'WrongResult', amount: '5', reputation_bps: 3846, task_id: task, job_id: task, assignment_id: '00000000-0000-4000-8000-000000000001', tx_hash: hex32('ab'), at: 1_700_000_600 },
    { reason: 'TaskTimeout', amount: '5', reputation_bps: 4545, task_id: task, job_id: task, assignment_id: '00000000-0000-4000-8000-000000000002', tx_hash: null, at: 1_700_000_300 },
  ],
  reputation_history: [{ at: 1_700_000_600, bps: 3846, tx_hash: hex32('ab') }],
  runs: [
    { kind: 'hash', consecutive_valid: 20, proven: true, unreplicated_probability: 0.95 },
    { kind: 'synthetic', consecutive_valid: 3, proven: false, unreplicated_probability: 0 },
  ],
  review: { opened_at: 1_700_000_600, failures: 3, results: 12 },
}

describe('node page', () => {
  it('shows the state, trust, reputation, leases and stake at risk, the reputation chart and the slashes', () => {
    render(<NodeTrust node={node} />)
    const summary = screen.getByTestId('trust-summary')
    expect(within(summary).getByText('Earning').className).toContain('badge-brand')
    expect(within(summary).getByText('Level 1 · Basic')).toBeTruthy()
    expect(within(summary).getByTitle('3,846 of 10,000').textContent).toBe('38.5%')
    expect(within(summary).getByText('Leases held').nextElementSibling!.textContent).toBe('2')
    expect(within(summary).getByText('Stake at risk').nextElementSibling!.textContent).toBe('10 TASK')
    expect(within(summary).getByTitle('Proven: 95% of the jobs it starts go to it alone while enough other proven nodes are online to check it').textContent).toBe('20 valid · proven')
    expect(within(summary).getByTitle('Not proven yet: each of its jobs is replicated').textContent).toBe('3 valid')
    expect(within(summary).getByText('Under review').nextElementSibling!.textContent).toBe('3 of 12 results failed: no work until the operator clears it')
    // One stored reputation: its point is drawn.
    expect(screen.getByRole('img', { name: 'Reputation over time: now 38.5%' }).querySelectorAll('circle')).toHaveLength(1)
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows.map((r) => r.querySelector('.badge')!.textContent)).toEqual(['Result outvoted', 'Lease timed out'])
    expect(within(rows[0]!).getByText('−5 TASK')).toBeTruthy()
    expect(within(rows[0]!).getByRole('link').getAttribute('href')).toBe(`#/tasks/${task}`)
    expect(within(rows[0]!).getByTitle(hex32('ab')).textContent).toBe('0xabab…abab')
    expect(within(rows[1]!).getByText('on its way')).toBeTruthy()
  })

  it('says when there is no reputation or slash yet', () => {
    render(<NodeTrust node={{ ...node, slashes: [], reputation_history: [], review: null }} />)
    expect(screen.queryByText('Under review')).toBeNull()
    expect(screen.getByText('No reputation recorded yet')).toBeTruthy()
    expect(screen.getByText('No slashes')).toBeTruthy()
  })

  it('checks a record’s proof on request and says what failed', async () => {
    const [good, , bad] = jobRecordBatch(3)
    render(<NodeRecordsTable address={address} records={[good!, { ...bad!, result_hash: hex32('ee') }]} />)
    const rows = screen.getAllByRole('row').slice(1)
    expect(rows.map((r) => within(r).getByText(/Accepted|Rejected/).textContent)).toEqual(['Accepted', 'Rejected'])
    fireEvent.click(within(rows[0]!).getByRole('button', { name: 'Check proof' }))
    expect((await within(rows[0]!).findByRole('status')).textContent).toBe(`✓ Proof checks against root ${good!.jobs_root.slice(0, 6)}…${good!.jobs_root.slice(-4)}, the root the market lists`)
    fireEvent.click(within(rows[1]!).getByRole('button', { name: 'Check proof' }))
    expect((await within(rows[1]!).findByRole('status')).textContent).toBe('✕ The record’s fields do not hash to its leaf')
    expect(screen.getByText(`npx taskmarket proofs ${address}`)).toBeTruthy()
  })

  it('compares the root with the escrow’s when it can read the chain', async () => {
    const [r] = jobRecordBatch(1)
    render(<NodeRecordsTable address={address} records={[r!]} readRoot={async () => r!.jobs_root} />)
    fireEvent.click(screen.getByRole('button', { name: 'Check proof' }))
    expect((await screen.findByRole('status')).textContent).toMatch(/, anchored on chain$/)
    expect(screen.queryByText(/npx taskmarket proofs/)).toBeNull()
  })
})
