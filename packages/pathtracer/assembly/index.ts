// Entry point. The host calls prepare() to size memory, writes the scene (src/encodeScene.ts) at the
// pointer it returns, then calls render() for one tile and reads width*height*4 RGBA bytes from the
// pointer render() returns. Nothing here reads a clock, a host function or any state kept from an
// earlier call, so a tile's bytes depend only on the scene and the tile.
import {
  ABI_VERSION, H_CAM_FOV, H_CAM_LOOK, H_CAM_POS, H_CAM_UP, H_HEIGHT, H_SEED, H_SPP, H_WIDTH,
} from './layout'
import { seedPixel, random } from './rng'
import { loadScene, outB, outG, outR, trace } from './trace'

const GAMMA: f64 = 1.0 / 2.2
// A sample brighter than this is scaled down (hue kept). Paths that reach a small bright light by way
// of a mirror or glass are rare and very bright; at a few samples per pixel they would leave white
// specks. Displayed values saturate at 1, so this only trims such outliers (a small, known bias).
const SAMPLE_CLAMP: f64 = 4.0

let scenePtr: usize = 0
let outputPtr: usize = 0

export function abiVersion(): i32 {
  return ABI_VERSION
}

/** Grows memory for a scene of `sceneFloats` f64 values and a tile of `pixels`; returns the scene pointer, 0 if memory ran out. */
export function prepare(sceneFloats: i32, pixels: i32): usize {
  scenePtr = (__heap_base + 15) & ~<usize>15
  outputPtr = (scenePtr + (<usize>sceneFloats << 3) + 15) & ~<usize>15
  const end = <u64>outputPtr + (<u64>pixels << 2)
  const pages = <i32>((end + 0xffff) >> 16)
  const have = memory.size()
  if (pages > have && memory.grow(pages - have) < 0) return 0
  return scenePtr
}

function toByte(c: f64): u8 {
  // `!(c > 0)` also catches NaN, whose bit pattern may differ between engines.
  if (!(c > 0)) return 0
  if (c >= 1) return 255
  return <u8>Math.floor(Math.pow(c, GAMMA) * 255.0 + 0.5)
}

/** Renders the tile at (x0, y0) of size w x h of the full image; returns the pointer to its RGBA bytes. */
export function render(x0: i32, y0: i32, w: i32, h: i32): usize {
  const scene = scenePtr
  loadScene(scene)
  const width = load<f64>(scene, H_WIDTH)
  const height = load<f64>(scene, H_HEIGHT)
  const spp = <i32>load<f64>(scene, H_SPP)
  const seed = <u32>load<f64>(scene, H_SEED)

  const cx = load<f64>(scene, H_CAM_POS), cy = load<f64>(scene, H_CAM_POS + 8), cz = load<f64>(scene, H_CAM_POS + 16)
  // w: backwards, u: right, v: up.
  let wx = cx - load<f64>(scene, H_CAM_LOOK)
  let wy = cy - load<f64>(scene, H_CAM_LOOK + 8)
  let wz = cz - load<f64>(scene, H_CAM_LOOK + 16)
  let inv = 1.0 / Math.sqrt(wx * wx + wy * wy + wz * wz)
  wx *= inv
  wy *= inv
  wz *= inv
  const upx = load<f64>(scene, H_CAM_UP), upy = load<f64>(scene, H_CAM_UP + 8), upz = load<f64>(scene, H_CAM_UP + 16)
  let ux = upy * wz - upz * wy
  let uy = upz * wx - upx * wz
  let uz = upx * wy - upy * wx
  inv = 1.0 / Math.sqrt(ux * ux + uy * uy + uz * uz)
  ux *= inv
  uy *= inv
  uz *= inv
  const vx = wy * uz - wz * uy
  const vy = wz * ux - wx * uz
  const vz = wx * uy - wy * ux
  const halfHeight = Math.tan(load<f64>(scene, H_CAM_FOV) * (Math.PI / 360.0))
  const halfWidth = halfHeight * (width / height)
  const invSpp = 1.0 / <f64>spp

  let out = outputPtr
  for (let y = y0; y < y0 + h; y++) {
    for (let x = x0; x < x0 + w; x++) {
      seedPixel(seed, <u32>x, <u32>y)
      let r: f64 = 0, g: f64 = 0, b: f64 = 0
      for (let s = 0; s < spp; s++) {
        const sx = (2.0 * (<f64>x + random()) / width - 1.0) * halfWidth
        const sy = (1.0 - 2.0 * (<f64>y + random()) / height) * halfHeight
        let dx = ux * sx + vx * sy - wx
        let dy = uy * sx + vy * sy - wy
        let dz = uz * sx + vz * sy - wz
        const n = 1.0 / Math.sqrt(dx * dx + dy * dy + dz * dz)
        dx *= n
        dy *= n
        dz *= n
        trace(cx, cy, cz, dx, dy, dz)
        const peak = Math.max(outR, Math.max(outG, outB))
        const scale = peak > SAMPLE_CLAMP ? SAMPLE_CLAMP / peak : 1.0
        r += outR * scale
        g += outG * scale
        b += outB * scale
      }
      store<u8>(out, toByte(r * invSpp))
      store<u8>(out, toByte(g * invSpp), 1)
      store<u8>(out, toByte(b * invSpp), 2)
      store<u8>(out, 255, 3)
      out += 4
    }
  }
  return outputPtr
}
