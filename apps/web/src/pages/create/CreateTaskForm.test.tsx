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

  it('offers a manual task without replicas or trust level, with per-assignment pay and errors per field', () => {
    renderForm()
    fireEvent.click(screen.getByLabelText(/Manual task/))
    expect(screen.queryByLabelText('Replicas per job')).toBeNull()
    expect(screen.queryByLabelText('Minimum node trust level')).toBeNull()
    expect(screen.getByLabelText('Lifetime (hours from now)')).toBeTruthy()
    fireEvent.change(screen.getByLabelText('Reward (TASK)'), { target: { value: '10' } })
    fireEvent.change(screen.getByLabelText('Assignments'), { target: { value: '4' } })
    expect(screen.getByTestId('per-assignment-pay').textContent).toContain('2.3')
    fireEvent.click(screen.getByLabelText(/Checklist/))
    fireEvent.click(screen.getByLabelText('The work happens at a place'))
    fireEvent.change(screen.getByLabelText('Latitude'), { target: { value: '123' } })
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    expect(document.getElementById('payload.title-error')?.textContent).toBe('Title is required')
    expect(document.getElementById('payload.checklist.0-error')?.textContent).toBe('An item is required')
    expect(document.getElementById('payload.place.latitude-error')?.textContent).toBe('Latitude must be from -90 to 90')
    expect(screen.getByLabelText('Latitude').getAttribute('aria-invalid')).toBe('true')
  })

  it('edits poll options and qualification rules', () => {
    renderForm()
    fireEvent.click(screen.getByLabelText(/Poll/))
    expect(screen.getAllByRole('textbox', { name: /^Option \d$/ })).toHaveLength(2)
    fireEvent.click(screen.getByRole('button', { name: '+ Add an option' }))
    fireEvent.change(screen.getByRole('textbox', { name: 'Option 1' }), { target: { value: 'Yes' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Option 3' }), { target: { value: 'yes' } })
    fireEvent.click(screen.getByRole('button', { name: 'Remove option 2' }))
    fireEvent.click(screen.getByRole('button', { name: '+ Add a rule' }))
    fireEvent.change(screen.getByLabelText('Rule 1: descriptor'), { target: { value: 'age' } })
    fireEvent.change(screen.getByLabelText('Rule 1: test'), { target: { value: 'gte' } })
    fireEvent.change(screen.getByLabelText('Rule 1: value'), { target: { value: 'adult' } })
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    expect(document.getElementById('payload.options.1-error')?.textContent).toBe('Same as option 1')
    expect(document.getElementById('qualifications.0.value-error')?.textContent).toBe('A number')
    expect(screen.getByText('Respondents paid (92%)')).toBeTruthy()
  })

  it('marks no gold answer by itself and refuses the question until one is marked, with the error on the answers', async () => {
    renderForm()
    fireEvent.click(screen.getByLabelText(/Poll/))
    fireEvent.change(screen.getByLabelText('Question', { selector: '#payload\\.title' }), { target: { value: 'Which logo?' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Option 1' }), { target: { value: 'Round' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Option 2' }), { target: { value: 'Square' } })
    fireEvent.change(screen.getByLabelText('Reward (TASK)'), { target: { value: '5' } })
    fireEvent.click(screen.getByRole('button', { name: '+ Add a gold question' }))
    fireEvent.change(document.getElementById('payload.gold.0.question')!, { target: { value: 'How many legs has a cat?' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Answer 1' }), { target: { value: 'three' } })
    fireEvent.change(screen.getByRole('textbox', { name: 'Answer 2' }), { target: { value: 'four' } })
    const marks = screen.getAllByRole('radio', { name: /^Answer \d is right$/ }) as HTMLInputElement[]
    expect(marks.map((m) => m.checked)).toEqual([false, false])
    fireEvent.click(screen.getByRole('button', { name: 'Post task' }))
    expect(document.getElementById('payload.gold.0.answer-error')?.textContent).toBe('Mark the right answer')
    expect(marks[0]!.getAttribute('aria-invalid')).toBe('true')
    expect(marks[0]!.getAttribute('aria-describedby')).toBe('payload.gold.0.answer-error')
    await new Promise((r) => setTimeout(r, 10))
    expect(document.activeElement).toBe(marks[0])
    fireEvent.click(marks[1]!)
    expect(document.getElementById('payload.gold.0.answer-error')).toBeNull()
    // Removing the answer above the marked one keeps the mark on "four".
    fireEvent.click(screen.getByRole('button', { name: '+ Add an answer' }))
    fireEvent.click(screen.getByRole('button', { name: 'Remove answer 1' }))
    expect((screen.getAllByRole('radio', { name: /^Answer \d is right$/ }) as HTMLInputElement[]).map((m) => m.checked)).toEqual([true, false])
  })
})
