import { afterEach, describe, expect, it } from 'vitest'
import { currentPosition, formatDistance, mapLink } from './geolocation.ts'

const original = Object.getOwnPropertyDescriptor(navigator, 'geolocation')
afterEach(() => {
  if (original) Object.defineProperty(navigator, 'geolocation', original)
  else delete (navigator as { geolocation?: unknown }).geolocation
})

/** jsdom has no Geolocation API: this answers as a browser would, with a position or an error code. */
function deviceAnswers(answer: { coords: { latitude: number; longitude: number; accuracy: number }; timestamp: number } | { code: number; message: string }) {
  const seen: PositionOptions[] = []
  Object.defineProperty(navigator, 'geolocation', {
    configurable: true,
    value: { getCurrentPosition: (ok: PositionCallback, fail: PositionErrorCallback, options: PositionOptions) => (seen.push(options), 'code' in answer ? fail(answer as GeolocationPositionError) : ok(answer as GeolocationPosition)) },
  })
  return seen
}

describe('geolocation', () => {
  it('asks for a precise, fresh position and returns it as a location stamp', async () => {
    const seen = deviceAnswers({ coords: { latitude: 52.5189, longitude: 13.4086, accuracy: 11.6 }, timestamp: 1_700_000_000_500 })
    expect(await currentPosition()).toEqual({ latitude: 52.5189, longitude: 13.4086, accuracy_m: 12, taken_at: 1_700_000_000 })
    expect(seen[0]).toMatchObject({ enableHighAccuracy: true, maximumAge: 0 })
  })

  it('explains a refusal in words a person can act on', async () => {
    deviceAnswers({ code: 1, message: 'User denied Geolocation' })
    await expect(currentPosition()).rejects.toThrow(/allow it for this site/)
  })

  it('formats distances and links to the map', () => {
    expect(formatDistance(37.4)).toBe('37 m')
    expect(formatDistance(1530)).toBe('1.5 km')
    expect(formatDistance(23_400)).toBe('23 km')
    expect(mapLink(52.5, 13.4)).toBe('https://www.openstreetmap.org/?mlat=52.5&mlon=13.4#map=17/52.5/13.4')
  })
})
