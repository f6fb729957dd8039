import { fireEvent, render, screen, within } from '@testing-library/react'
import { describe, expect, it } from 'vitest'
import { SessionProvider } from '../../state/session.tsx'
import { CreateTaskForm } from './CreateTaskPage.tsx'

const renderForm = () =>
  render(
    <SessionProvider>
      <CreateTaskForm onPosted={() => {}} />
    </SessionProvider>,
  )

describe('create task form', () => {
  it('shows each error next to its field, marks the input invalid and focuses the first one', async () => {
    renderForm()
    const reward = screen.getByLabelText('Reward (TASK)')
    fireEvent.change(reward, { target: { value: '2.0000000001' } })
    fireEvent.change(screen.getByLabelText('Samples per pixel'), { target: { value: '0' } })
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    const rewardError = await screen.findByText('At most 9 decimals (the escrow counts in nano-tokens)')
    expect(rewardError.id).toBe('reward-error')
    expect(reward.getAttribute('aria-invalid')).toBe('true')
    expect(reward.getAttribute('aria-describedby')).toContain('reward-error')
    const samples = screen.getByLabelText('Samples per pixel')
    expect(samples.getAttribute('aria-invalid')).toBe('true')
    expect(document.getElementById('payload.samples_per_pixel-error')?.textContent).toBe('Samples per pixel must be at least 1')
    await new Promise((r) => setTimeout(r, 10))
    expect(document.activeElement?.id).toBe('payload.samples_per_pixel')
  })

  it('switches the fields with the kind', () => {
    renderForm()
    expect(screen.getByLabelText('Scene')).toBeTruthy()
    fireEvent.click(screen.getByLabelText(/Benchmark/))
    expect(screen.queryByLabelText('Scene')).toBeNull()
    expect(screen.getByLabelText('Matrix size')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Matrix size'), { target: { value: '9999' } })
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    expect(screen.getByText('Matrix size must be at most 512')).toBeTruthy()
  })

  it('previews the cost with the fee split as the reward and replicas change', () => {
    renderForm()
    const cost = () => within(document.querySelector('.cost') as HTMLElement)
    fireEvent.change(screen.getByLabelText('Reward (TASK)'), { target: { value: '10' } })
    expect(cost().getByText('Platform fee to treasury (8%)')).toBeTruthy()
    expect(cost().getByText(/3 replicas, 3.0667 each/)).toBeTruthy()
    expect(document.querySelector('.cost-total')?.textContent).toContain('10 TASK')
    fireEvent.change(screen.getByLabelText('Replicas per job'), { target: { value: '2' } })
    expect(cost().getByText(/2 replicas, 4.6 each/)).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Reward (TASK)'), { target: { value: 'x' } })
    expect(screen.getByText('Enter a reward to see the cost.')).toBeTruthy()
  })
})
