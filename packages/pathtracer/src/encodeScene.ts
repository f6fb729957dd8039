import type { Scene } from './scene.ts'

// Mirrors assembly/layout.ts. Only copies numbers: every derived value (normalized vectors, tan of
// the field of view) is computed inside the wasm, so no host math library can change a result.
export const ABI_VERSION = 1
export const HEADER_FLOATS = 32
export const OBJECT_FLOATS = 20

const materialCodes = { diffuse: 0, metal: 1, mirror: 1, glass: 2, light: 3 } as const

/** The flat Float64Array the wasm reads: a 32-slot header, then 20 slots per object. */
export function encodeScene(scene: Scene): Float64Array {
  const f = new Float64Array(HEADER_FLOATS + scene.objects.length * OBJECT_FLOATS)
  const { camera, background } = scene
  f[0] = ABI_VERSION
  f[1] = scene.width
  f[2] = scene.height
  f[3] = scene.samples_per_pixel
  f[4] = scene.max_bounces
  f[5] = scene.seed
  f.set(camera.position, 6)
  f.set(camera.look_at, 9)
  f.set(camera.up, 12)
  f[15] = camera.fov
  f.set(background.top, 16)
  f.set(background.bottom, 19)
  f[22] = scene.objects.length
  scene.objects.forEach((object, i) => {
    const o = HEADER_FLOATS + i * OBJECT_FLOATS
    const { material } = object
    f[o] = object.type === 'sphere' ? 0 : 1
    f.set(object.position, o + 1)
    if (object.type === 'sphere') f[o + 4] = object.radius
    else f.set(object.normal, o + 5)
    f[o + 8] = materialCodes[material.type]
    f.set(material.color, o + 9)
    f.set(material.emission, o + 12)
    f[o + 15] = material.roughness
    f[o + 16] = material.ior
  })
  return f
}
