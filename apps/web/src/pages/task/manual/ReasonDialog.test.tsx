import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { ReasonDialog } from './ReasonDialog.tsx'

describe('reason dialog', () => {
  it('asks for a reason before rejecting, then runs the action with it and closes', async () => {
    const sent: string[] = []
    let closed = false
    render(<ReasonDialog title="Reject this work" explain="The slot goes back to the pool." action="Reject" onConfirm={async (r) => void sent.push(r)} onClose={() => (closed = true)} />)
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }))
    expect(screen.getByRole('alert').textContent).toContain('Say why')
    expect(sent).toEqual([])
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: '  The photo shows another building ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }))
    await waitFor(() => expect(closed).toBe(true))
    expect(sent).toEqual(['The photo shows another building'])
  })

  it('shows what the API answered and stays open', async () => {
    render(<ReasonDialog title="Block this worker" explain="" action="Block" optional onConfirm={async () => Promise.reject(new Error('worker: you cannot block yourself'))} onClose={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: 'Block' }))
    expect((await screen.findByRole('alert')).textContent).toBe('worker: you cannot block yourself')
    expect(screen.getByRole('dialog', { name: 'Block this worker' })).toBeTruthy()
  })
})
