import { SceneError } from './errors.ts'
import {
  type Camera, type Material, type MaterialType, type Scene, type SceneObject, type Vec3, sceneLimits,
} from './scene.ts'

type Json = Record<string, unknown>

const materialTypes: readonly MaterialType[] = ['diffuse', 'metal', 'mirror', 'glass', 'light']
const white: Vec3 = [1, 1, 1]
const black: Vec3 = [0, 0, 0]

/**
 * Validates a scene (an object, or its JSON text) and fills in the defaults.
 * Throws a `SceneError` naming the first bad field, e.g. `objects[1].radius` "must be > 0".
 */
export function parseScene(json: unknown): Scene {
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json)
    } catch (cause) {
      throw new SceneError('', 'is not valid JSON', { cause })
    }
  }
  const root = object(json, '')
  only(root, '', ['width', 'height', 'samples_per_pixel', 'max_bounces', 'seed', 'camera', 'background', 'objects'])
  const width = integer(root.width, 'width', 1, sceneLimits.maxWidth)
  const height = integer(root.height, 'height', 1, sceneLimits.maxHeight)
  const samples_per_pixel = integer(root.samples_per_pixel, 'samples_per_pixel', 1, sceneLimits.maxSamplesPerPixel)
  const max_bounces = integer(root.max_bounces, 'max_bounces', 0, sceneLimits.maxBounces)
  const seed = root.seed === undefined ? 0 : integer(root.seed, 'seed', 0, 0xffff_ffff)
  const camera = parseCamera(root.camera)

  let background = { top: black, bottom: black }
  if (root.background !== undefined) {
    const bg = object(root.background, 'background')
    only(bg, 'background', ['top', 'bottom'])
    const top = vec3(bg.top, 'background.top', 0, sceneLimits.maxEmission)
    background = { top, bottom: bg.bottom === undefined ? top : vec3(bg.bottom, 'background.bottom', 0, sceneLimits.maxEmission) }
  }

  if (!Array.isArray(root.objects)) throw new SceneError('objects', 'must be an array')
  if (root.objects.length > sceneLimits.maxObjects) {
    throw new SceneError('objects', `must have at most ${sceneLimits.maxObjects} entries, has ${root.objects.length}`)
  }
  const objects = root.objects.map((o: unknown, i: number) => parseObject(o, `objects[${i}]`))
  return { width, height, samples_per_pixel, max_bounces, seed, camera, background, objects }
}

function parseCamera(value: unknown): Camera {
  const c = object(value, 'camera')
  only(c, 'camera', ['position', 'look_at', 'up', 'fov'])
  const position = vec3(c.position, 'camera.position')
  const look_at = vec3(c.look_at, 'camera.look_at')
  const up = c.up === undefined ? ([0, 1, 0] as Vec3) : vec3(c.up, 'camera.up')
  const fov = number(c.fov, 'camera.fov', 1, 179)
  const forward = sub(look_at, position)
  if (isZero(forward)) throw new SceneError('camera.look_at', 'must differ from camera.position')
  if (isZero(cross(up, forward))) throw new SceneError('camera.up', 'must not be parallel to the view direction')
  return { position, look_at, up, fov }
}

function parseObject(value: unknown, path: string): SceneObject {
  const o = object(value, path)
  if (o.type === 'sphere') {
    only(o, path, ['type', 'position', 'radius', 'material'])
    const position = vec3(o.position, `${path}.position`)
    const radius = number(o.radius, `${path}.radius`, 0, sceneLimits.maxCoordinate)
    if (radius <= 0) throw new SceneError(`${path}.radius`, 'must be > 0')
    return { type: 'sphere', position, radius, material: parseMaterial(o.material, `${path}.material`) }
  }
  if (o.type === 'plane') {
    only(o, path, ['type', 'position', 'normal', 'material'])
    const position = vec3(o.position, `${path}.position`)
    const normal = vec3(o.normal, `${path}.normal`)
    if (isZero(normal)) throw new SceneError(`${path}.normal`, 'must not be zero')
    return { type: 'plane', position, normal, material: parseMaterial(o.material, `${path}.material`) }
  }
  throw new SceneError(`${path}.type`, o.type === undefined ? 'is required' : 'must be "sphere" or "plane"')
}

function parseMaterial(value: unknown, path: string): Material {
  const m = object(value, path)
  only(m, path, ['type', 'color', 'emission', 'roughness', 'ior'])
  if (!materialTypes.includes(m.type as MaterialType)) {
    throw new SceneError(`${path}.type`, `must be one of ${materialTypes.map((t) => `"${t}"`).join(', ')}`)
  }
  const type = m.type as MaterialType
  const defaultColor: Vec3 = type === 'diffuse' ? [0.8, 0.8, 0.8] : type === 'light' ? black : white
  const color = m.color === undefined ? defaultColor : vec3(m.color, `${path}.color`, 0, 1)
  const emission = m.emission === undefined ? black : vec3(m.emission, `${path}.emission`, 0, sceneLimits.maxEmission)
  if (type === 'light' && isZero(emission)) throw new SceneError(`${path}.emission`, 'must be > 0 for a light')
  const roughness = type === 'mirror' || m.roughness === undefined ? 0 : number(m.roughness, `${path}.roughness`, 0, 1)
  if (type === 'mirror' && m.roughness !== undefined && m.roughness !== 0) {
    throw new SceneError(`${path}.roughness`, 'must be 0 for a mirror (use "metal")')
  }
  const ior = m.ior === undefined ? 1.5 : number(m.ior, `${path}.ior`, 1, 3)
  return { type, color, emission, roughness, ior }
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SceneError(path, value === undefined ? 'is required' : 'must be an object')
  }
  return value as Json
}

/** Unknown fields are refused so that a misspelt one is not silently ignored. */
function only(value: Json, path: string, allowed: readonly string[]) {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new SceneError(path ? `${path}.${key}` : key, 'is not a known field')
  }
}

function number(
  value: unknown,
  path: string,
  min: number = -sceneLimits.maxCoordinate,
  max: number = sceneLimits.maxCoordinate,
): number {
  if (value === undefined) throw new SceneError(path, 'is required')
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new SceneError(path, 'must be a finite number')
  if (value < min || value > max) throw new SceneError(path, `must be between ${min} and ${max}, is ${value}`)
  return value
}

function integer(value: unknown, path: string, min: number, max: number): number {
  const n = number(value, path, min, max)
  if (!Number.isInteger(n)) throw new SceneError(path, 'must be an integer')
  return n
}

function vec3(value: unknown, path: string, min?: number, max?: number): Vec3 {
  if (value === undefined) throw new SceneError(path, 'is required')
  if (!Array.isArray(value) || value.length !== 3) throw new SceneError(path, 'must be an array of 3 numbers')
  return [number(value[0], `${path}[0]`, min, max), number(value[1], `${path}[1]`, min, max), number(value[2], `${path}[2]`, min, max)]
}

const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
const isZero = (v: Vec3) => v[0] === 0 && v[1] === 0 && v[2] === 0
