/** Where the device is, as a location stamp of the API (degrees, metres, unix seconds). */
export type Stamp = { latitude: number; longitude: number; accuracy_m: number; taken_at: number }

/**
 * Asks the device for its position, as precisely as it can (GPS on a phone); rejects with a message a
 * person can act on when it is refused, unavailable or too slow.
 * @example const { latitude, longitude } = await currentPosition()
 */
export function currentPosition(timeoutMs = 20_000): Promise<Stamp> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error('This browser cannot tell where you are'))
      return
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy_m: Math.round(p.coords.accuracy), taken_at: Math.floor(p.timestamp / 1000) }),
      (e) => reject(new Error(messages[e.code] ?? e.message)),
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 0 },
    )
  })
}

const messages: Record<number, string> = {
  1: 'Location access is blocked: allow it for this site in your browser settings, then try again',
  2: 'Your position is not available right now: turn on location services, or step outside',
  3: 'Finding your position took too long; try again',
}

/**
 * A distance for people: metres below a kilometre, else kilometres.
 * @example formatDistance(1530) // '1.5 km'
 */
export function formatDistance(metres: number): string {
  if (metres < 1000) return `${Math.round(metres)} m`
  return `${(metres / 1000).toFixed(metres < 10_000 ? 1 : 0)} km`
}

/** A link to the point on OpenStreetMap. */
export function mapLink(latitude: number, longitude: number): string {
  return `https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=17/${latitude}/${longitude}`
}
