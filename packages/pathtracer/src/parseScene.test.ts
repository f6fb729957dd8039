import { describe, expect, it } from 'vitest'
import { SceneError } from './errors.ts'
import { exampleScenes } from './exampleScenes.ts'
import { parseScene } from './parseScene.ts'

const minimal = {
  width: 16,
  height: 8,
  samples_per_pixel: 2,
  max_bounces: 3,
  camera: { position: [0, 1, 3], look_at: [0, 1, 0], fov: 45 },
  objects: [{ type: 'sphere', position: [0, 1, 0], radius: 1, material: { type: 'diffuse' } }],
}

function errorOf(scene: unknown): SceneError {
  try {
    parseScene(scene)
  } catch (error) {
    expect(error).toBeInstanceOf(SceneError)
    return error as SceneError
  }
  throw new Error('expected a SceneError')
}

const edit = (change: (s: any) => void) => {
  const copy = structuredClone(minimal) as any
  change(copy)
  return copy
}

describe('parseScene', () => {
  it('fills in the defaults', () => {
    const scene = parseScene(minimal)
    expect(scene.seed).toBe(0)
    expect(scene.camera.up).toEqual([0, 1, 0])
    expect(scene.background).toEqual({ top: [0, 0, 0], bottom: [0, 0, 0] })
    expect(scene.objects[0].material).toEqual({ type: 'diffuse', color: [0.8, 0.8, 0.8], emission: [0, 0, 0], roughness: 0, ior: 1.5 })
  })

  it('accepts JSON text and its own output', () => {
    const scene = parseScene(JSON.stringify(minimal))
    expect(parseScene(scene)).toEqual(scene)
    expect(parseScene(exampleScenes.cornell)).toEqual(exampleScenes.cornell)
  })

  it.each([
    ['not json', '{', '', 'is not valid JSON'],
    ['not an object', [], '', 'must be an object'],
    ['missing width', edit((s) => delete s.width), 'width', 'is required'],
    ['width too large', edit((s) => (s.width = 4097)), 'width', 'must be between 1 and 4096, is 4097'],
    ['fractional height', edit((s) => (s.height = 1.5)), 'height', 'must be an integer'],
    ['too many samples', edit((s) => (s.samples_per_pixel = 1025)), 'samples_per_pixel', 'must be between 1 and 1024, is 1025'],
    ['too many bounces', edit((s) => (s.max_bounces = 17)), 'max_bounces', 'must be between 0 and 16, is 17'],
    ['negative seed', edit((s) => (s.seed = -1)), 'seed', 'must be between 0 and 4294967295, is -1'],
    ['string number', edit((s) => (s.camera.fov = '45')), 'camera.fov', 'must be a finite number'],
    ['camera on its target', edit((s) => (s.camera.look_at = [0, 1, 3])), 'camera.look_at', 'must differ from camera.position'],
    ['up along the view', edit((s) => (s.camera.up = [0, 0, 1])), 'camera.up', 'must not be parallel to the view direction'],
    ['short vector', edit((s) => (s.camera.position = [0, 1])), 'camera.position', 'must be an array of 3 numbers'],
    ['infinite coordinate', edit((s) => (s.objects[0].position[2] = Infinity)), 'objects[0].position[2]', 'must be a finite number'],
    ['unknown field', edit((s) => (s.sample_per_pixel = 4)), 'sample_per_pixel', 'is not a known field'],
    ['unknown object type', edit((s) => (s.objects[0].type = 'cube')), 'objects[0].type', 'must be "sphere" or "plane"'],
    ['zero radius', edit((s) => (s.objects[0].radius = 0)), 'objects[0].radius', 'must be > 0'],
    ['zero normal', edit((s) => (s.objects[0] = { type: 'plane', position: [0, 0, 0], normal: [0, 0, 0], material: { type: 'diffuse' } })), 'objects[0].normal', 'must not be zero'],
    ['unknown material', edit((s) => (s.objects[0].material.type = 'plastic')), 'objects[0].material.type', 'must be one of "diffuse", "metal", "mirror", "glass", "light"'],
    ['colour above 1', edit((s) => (s.objects[0].material.color = [1, 2, 0])), 'objects[0].material.color[1]', 'must be between 0 and 1, is 2'],
    ['dark light', edit((s) => (s.objects[0].material = { type: 'light' })), 'objects[0].material.emission', 'must be > 0 for a light'],
    ['rough mirror', edit((s) => (s.objects[0].material = { type: 'mirror', roughness: 0.2 })), 'objects[0].material.roughness', 'must be 0 for a mirror (use "metal")'],
    ['roughness above 1', edit((s) => (s.objects[0].material = { type: 'metal', roughness: 1.5 })), 'objects[0].material.roughness', 'must be between 0 and 1, is 1.5'],
    ['objects not a list', edit((s) => (s.objects = {})), 'objects', 'must be an array'],
    ['too many objects', edit((s) => (s.objects = Array(257).fill(s.objects[0]))), 'objects', 'must have at most 256 entries, has 257'],
  ])('%s', (_, scene, field, reason) => {
    const error = errorOf(scene)
    expect(error.field).toBe(field)
    expect(error.reason).toBe(reason)
    expect(error.code).toBe('invalid_scene')
    expect(error.message).toContain(reason)
  })
})
