/** A 3-vector: position, direction or linear RGB. */
export type Vec3 = [number, number, number]

/** `mirror` is `metal` with roughness 0; `light` only emits. */
export type MaterialType = 'diffuse' | 'metal' | 'mirror' | 'glass' | 'light'

export interface Material {
  type: MaterialType
  /** Albedo (linear RGB, each in [0, 1]). */
  color: Vec3
  /** Emitted radiance (linear RGB, ≥ 0, may exceed 1). */
  emission: Vec3
  /** Metal fuzz in [0, 1]; 0 is a perfect mirror. */
  roughness: number
  /** Glass index of refraction in [1, 3]. */
  ior: number
}

export interface Sphere {
  type: 'sphere'
  position: Vec3
  radius: number
  material: Material
}

/** An infinite plane through `position`, two-sided. */
export interface Plane {
  type: 'plane'
  position: Vec3
  normal: Vec3
  material: Material
}

export type SceneObject = Sphere | Plane

export interface Camera {
  position: Vec3
  look_at: Vec3
  up: Vec3
  /** Vertical field of view in degrees. */
  fov: number
}

/** A scene with every default filled in, as `parseScene` returns it. */
export interface Scene {
  width: number
  height: number
  samples_per_pixel: number
  max_bounces: number
  /** Unsigned 32-bit seed of every pixel's random stream. */
  seed: number
  camera: Camera
  /** Radiance of rays that hit nothing, blended from `bottom` (looking down) to `top` (looking up). */
  background: { top: Vec3; bottom: Vec3 }
  objects: SceneObject[]
}

export const sceneLimits = {
  maxWidth: 4096,
  maxHeight: 4096,
  maxSamplesPerPixel: 1024,
  maxBounces: 16,
  maxObjects: 256,
  maxEmission: 1e6,
  /** Coordinates beyond this are refused, to keep the arithmetic well away from overflow. */
  maxCoordinate: 1e6,
} as const
