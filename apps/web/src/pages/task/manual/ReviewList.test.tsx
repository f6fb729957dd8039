import type { AssignmentView, ManualPayload } from '@taskmarket/core'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { client } from '../../../lib/api.ts'
import { ReviewList } from './ReviewList.tsx'

const payload: ManualPayload = { title: 'Check the sign', description: 'Photograph it', proofs: ['text'] }
const worker = `0x${'ab'.repeat(20)}`
const assignment = (o: Partial<AssignmentView>) =>
  ({ assignment_id: 'a1', worker, status: 'submitted', claimed_at: 1_700_000_000, submitted_at: 1_700_000_100, review_due_at: null, expires_at: null, proofs: { text: 'done' }, review: null, payment: { amount: '0', state: 'none', tx_hash: null }, ...o }) as unknown as AssignmentView

afterEach(() => vi.restoreAllMocks())

describe('review list', () => {
  it('approves with the rating the poster picks, or none', async () => {
    const approve = vi.spyOn(client.work, 'approve').mockResolvedValue(undefined as never)
    const { unmount } = render(<ReviewList assignments={[assignment({})]} payload={payload} onChanged={() => {}} />)
    fireEvent.change(screen.getByRole('combobox', { name: /Rating/ }), { target: { value: '4' } })
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }))
    await waitFor(() => expect(approve).toHaveBeenCalledWith('a1', { rating: 4 }))
    unmount()
    render(<ReviewList assignments={[assignment({})]} payload={payload} onChanged={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: 'Approve' }))
    await waitFor(() => expect(approve).toHaveBeenLastCalledWith('a1', {}))
  })

  it('shows the stars an approved assignment was given', () => {
    render(<ReviewList assignments={[assignment({ status: 'approved', review: { by: 'poster', reason: null, rating: 3 } })]} payload={payload} onChanged={() => {}} />)
    expect(screen.getByLabelText('Rated 3 of 5').textContent).toBe('Rating: ★★★☆☆')
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull()
  })
})
