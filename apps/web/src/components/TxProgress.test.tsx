import { render, screen } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { TxProgress } from './TxProgress.tsx'

describe('transaction progress', () => {
  it('shows every step, its hash once sent and its block once mined', () => {
    const hash = `0x${'ab'.repeat(32)}` as const
    render(
      <TxProgress
        steps={[
          { label: 'Allow the escrow', status: 'mined', hash, block: 12n },
          { label: 'Deposit', status: 'pending', hash },
          { label: 'Later', status: 'waiting' },
        ]}
        error="boom"
      />,
    )
    expect(screen.getByText('Mined in block 12')).toBeTruthy()
    expect(screen.getByText('Sent, waiting to be mined…')).toBeTruthy()
    expect(screen.getByText('Waiting')).toBeTruthy()
    expect(screen.getAllByTitle(hash)).toHaveLength(2)
    expect(screen.getByRole('alert').textContent).toBe('boom')
  })
})
