/** A point on Earth in degrees, and an optional radius in metres around it. */
export type Place = { latitude: number; longitude: number; radius_m?: number }

const EARTH_RADIUS_M = 6_371_008.8

/**
 * Great-circle distance in metres (haversine).
 * @example distanceMeters({ latitude: 52.52, longitude: 13.405 }, { latitude: 48.8566, longitude: 2.3522 }) // ≈ 877 km
 */
export function distanceMeters(a: Place, b: Place): number {
  const rad = Math.PI / 180
  const dLat = (b.latitude - a.latitude) * rad
  const dLon = (b.longitude - a.longitude) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** True when `stamp` lies within the place's radius (its reported accuracy counts in its favour, up to 100 m). */
export function withinPlace(place: Place & { radius_m: number }, stamp: Place & { accuracy_m?: number }): boolean {
  const slack = Math.min(Math.max(stamp.accuracy_m ?? 0, 0), 100)
  return distanceMeters(place, stamp) <= place.radius_m + slack
}
