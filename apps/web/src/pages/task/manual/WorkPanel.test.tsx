import type { AssignmentView, ManualPayload } from '@taskmarket/core'
import { fireEvent, render, screen, waitFor } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { client } from '../../../lib/api.ts'
import { WorkPanel } from './WorkPanel.tsx'

const place = { latitude: 52.52, longitude: 13.405, radius_m: 100 }
const payload: ManualPayload = { title: 'Check the sign', description: 'Photograph it', proofs: ['location'], place }
const assignment = { assignment_id: 'a1', status: 'claimed', expires_at: null, proofs: {} } as unknown as AssignmentView

/** The device reports this position when asked. */
function deviceAt(latitude: number, longitude: number) {
  Object.defineProperty(navigator, 'geolocation', {
    configurable: true,
    value: { getCurrentPosition: (ok: PositionCallback) => ok({ coords: { latitude, longitude, accuracy: 5 }, timestamp: Date.now() } as GeolocationPosition) },
  })
}

afterEach(() => vi.restoreAllMocks())

describe('work panel', () => {
  it('refuses, by core’s rule, a location stamp too far from the task’s place, without sending the work', async () => {
    const submit = vi.spyOn(client.work, 'submit').mockResolvedValue(undefined as never)
    deviceAt(52.53, 13.405) // about 1.1 km north
    render(<WorkPanel assignment={assignment} payload={payload} onChanged={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: /stamp/i }))
    await screen.findByTestId('location-stamp')
    fireEvent.click(screen.getByRole('button', { name: 'Submit the work' }))
    await waitFor(() => expect(document.body.textContent).toContain('from the task’s place; it must be within 100 m'))
    expect(submit).not.toHaveBeenCalled()
  })

  it('sends a stamp inside the place', async () => {
    const submit = vi.spyOn(client.work, 'submit').mockResolvedValue(undefined as never)
    deviceAt(52.5201, 13.4051)
    render(<WorkPanel assignment={assignment} payload={payload} onChanged={() => {}} />)
    fireEvent.click(screen.getByRole('button', { name: /stamp/i }))
    await screen.findByTestId('location-stamp')
    fireEvent.click(screen.getByRole('button', { name: 'Submit the work' }))
    await waitFor(() => expect(submit).toHaveBeenCalledWith('a1', { location: expect.objectContaining({ latitude: 52.5201 }) }))
  })
})
