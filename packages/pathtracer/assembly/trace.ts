// Scene intersection and the path integrator. Vectors are spelled out as scalars: allocating
// objects per ray would need a garbage collector and cost most of the time.
import {
  H_BOUNCES, H_COUNT, H_SKY_BOTTOM, H_SKY_TOP, HEADER_FLOATS, KIND_SPHERE, MAT_DIFFUSE, MAT_GLASS,
  MAT_LIGHT, MAT_METAL, O_AUX, O_CB, O_CG, O_CR, O_EB, O_EG, O_ER, O_IOR, O_KIND, O_LIGHT, O_MATERIAL,
  O_NX, O_NY, O_NZ, O_PX, O_PY, O_PZ, O_RADIUS, O_ROUGHNESS, OBJECT_BYTES,
} from './layout'
import { random } from './rng'

// Scene units are about a metre; this keeps secondary rays off the surface they leave.
const T_MIN: f64 = 1e-4
const T_MAX: f64 = 1e30
const TWO_PI: f64 = 6.283185307179586
// Russian roulette starts after this many bounces.
const ROULETTE_AFTER: i32 = 3

let objects: usize = 0
let count: i32 = 0
let maxBounces: i32 = 0
let skyTopR: f64 = 0, skyTopG: f64 = 0, skyTopB: f64 = 0
let skyBottomR: f64 = 0, skyBottomG: f64 = 0, skyBottomB: f64 = 0

// Results passed back through globals (no tuples without allocation).
let hitT: f64 = 0
export let outR: f64 = 0
export let outG: f64 = 0
export let outB: f64 = 0
let lightR: f64 = 0, lightG: f64 = 0, lightB: f64 = 0
let dirX: f64 = 0, dirY: f64 = 0, dirZ: f64 = 0

/** Reads the scene header and precomputes per-object values (normalized plane normals, light flags). */
export function loadScene(scene: usize): void {
  objects = scene + (<usize>HEADER_FLOATS << 3)
  count = <i32>load<f64>(scene, H_COUNT)
  maxBounces = <i32>load<f64>(scene, H_BOUNCES)
  skyTopR = load<f64>(scene, H_SKY_TOP)
  skyTopG = load<f64>(scene, H_SKY_TOP + 8)
  skyTopB = load<f64>(scene, H_SKY_TOP + 16)
  skyBottomR = load<f64>(scene, H_SKY_BOTTOM)
  skyBottomG = load<f64>(scene, H_SKY_BOTTOM + 8)
  skyBottomB = load<f64>(scene, H_SKY_BOTTOM + 16)
  for (let i = 0; i < count; i++) {
    const o = objects + <usize>i * OBJECT_BYTES
    if (load<f64>(o, O_KIND) == KIND_SPHERE) {
      const r = load<f64>(o, O_RADIUS)
      store<f64>(o, r * r, O_AUX)
      const emits = load<f64>(o, O_ER) + load<f64>(o, O_EG) + load<f64>(o, O_EB) > 0
      store<f64>(o, emits ? 1 : 0, O_LIGHT)
    } else {
      let nx = load<f64>(o, O_NX), ny = load<f64>(o, O_NY), nz = load<f64>(o, O_NZ)
      const inv = 1.0 / Math.sqrt(nx * nx + ny * ny + nz * nz)
      nx *= inv
      ny *= inv
      nz *= inv
      store<f64>(o, nx, O_NX)
      store<f64>(o, ny, O_NY)
      store<f64>(o, nz, O_NZ)
      store<f64>(o, nx * load<f64>(o, O_PX) + ny * load<f64>(o, O_PY) + nz * load<f64>(o, O_PZ), O_AUX)
      store<f64>(o, 0, O_LIGHT)
    }
  }
}

/** The nearest object hit by the ray within (T_MIN, tMax), or -1; its distance is left in hitT. */
function intersect(ox: f64, oy: f64, oz: f64, dx: f64, dy: f64, dz: f64, tMax: f64): i32 {
  let best = -1
  let tBest = tMax
  for (let i = 0; i < count; i++) {
    const o = objects + <usize>i * OBJECT_BYTES
    let t: f64
    if (load<f64>(o, O_KIND) == KIND_SPHERE) {
      const cx = ox - load<f64>(o, O_PX)
      const cy = oy - load<f64>(o, O_PY)
      const cz = oz - load<f64>(o, O_PZ)
      const b = cx * dx + cy * dy + cz * dz
      const c = cx * cx + cy * cy + cz * cz - load<f64>(o, O_AUX)
      const disc = b * b - c
      if (disc < 0) continue
      const s = Math.sqrt(disc)
      t = -b - s
      if (t <= T_MIN) t = -b + s
    } else {
      const nx = load<f64>(o, O_NX), ny = load<f64>(o, O_NY), nz = load<f64>(o, O_NZ)
      const denom = nx * dx + ny * dy + nz * dz
      if (Math.abs(denom) < 1e-12) continue
      t = (load<f64>(o, O_AUX) - (nx * ox + ny * oy + nz * oz)) / denom
    }
    if (t > T_MIN && t < tBest) {
      tBest = t
      best = i
    }
  }
  hitT = tBest
  return best
}

/** Sets dir* to a direction around (nx, ny, nz) at polar cosine cosTheta and a random azimuth. */
function around(nx: f64, ny: f64, nz: f64, cosTheta: f64): void {
  // Orthonormal basis without branches on the sign (Duff et al. 2017).
  const sign = nz >= 0 ? 1.0 : -1.0
  const a = -1.0 / (sign + nz)
  const b = nx * ny * a
  const ux = 1.0 + sign * nx * nx * a, uy = sign * b, uz = -sign * nx
  const vx = b, vy = sign + ny * ny * a, vz = -ny
  const phi = TWO_PI * random()
  const sinTheta = Math.sqrt(Math.max(0.0, 1.0 - cosTheta * cosTheta))
  const cu = Math.cos(phi) * sinTheta
  const cv = Math.sin(phi) * sinTheta
  dirX = ux * cu + vx * cv + nx * cosTheta
  dirY = uy * cu + vy * cv + ny * cosTheta
  dirZ = uz * cu + vz * cv + nz * cosTheta
}

/**
 * Light reaching a diffuse point from every emissive sphere, one sample of each sphere's cone, with
 * the cosine and the 1/pi of the BRDF folded in. Result in light*.
 */
function directLight(px: f64, py: f64, pz: f64, nx: f64, ny: f64, nz: f64, self: i32): void {
  lightR = 0
  lightG = 0
  lightB = 0
  for (let i = 0; i < count; i++) {
    if (i == self) continue
    const o = objects + <usize>i * OBJECT_BYTES
    if (load<f64>(o, O_LIGHT) == 0) continue
    const wx = load<f64>(o, O_PX) - px, wy = load<f64>(o, O_PY) - py, wz = load<f64>(o, O_PZ) - pz
    const dist2 = wx * wx + wy * wy + wz * wz
    const r2 = load<f64>(o, O_AUX)
    if (dist2 <= r2) continue
    const inv = 1.0 / Math.sqrt(dist2)
    const cosMax = Math.sqrt(1.0 - r2 / dist2)
    around(wx * inv, wy * inv, wz * inv, 1.0 - random() * (1.0 - cosMax))
    const cosSurface = nx * dirX + ny * dirY + nz * dirZ
    if (cosSurface <= 0) continue
    if (intersect(px, py, pz, dirX, dirY, dirZ, T_MAX) != i) continue
    // (albedo/pi) * L * cos / pdf, pdf = 1 / (2 pi (1 - cosMax)); the albedo is applied by the caller.
    const w = 2.0 * (1.0 - cosMax) * cosSurface
    lightR += load<f64>(o, O_ER) * w
    lightG += load<f64>(o, O_EG) * w
    lightB += load<f64>(o, O_EB) * w
  }
}

/** Radiance arriving at (ox, oy, oz) from direction -(dx, dy, dz); result in out*. */
export function trace(ox: f64, oy: f64, oz: f64, dx: f64, dy: f64, dz: f64): void {
  let tr: f64 = 1, tg: f64 = 1, tb: f64 = 1
  let r: f64 = 0, g: f64 = 0, b: f64 = 0
  // False right after a diffuse bounce: emissive spheres were already sampled directly there.
  let countLights = true
  for (let bounce = 0; bounce <= maxBounces; bounce++) {
    const hit = intersect(ox, oy, oz, dx, dy, dz, T_MAX)
    if (hit < 0) {
      const s = 0.5 * (dy + 1.0)
      r += tr * (skyBottomR + s * (skyTopR - skyBottomR))
      g += tg * (skyBottomG + s * (skyTopG - skyBottomG))
      b += tb * (skyBottomB + s * (skyTopB - skyBottomB))
      break
    }
    const o = objects + <usize>hit * OBJECT_BYTES
    const px = ox + dx * hitT, py = oy + dy * hitT, pz = oz + dz * hitT
    let nx: f64, ny: f64, nz: f64
    if (load<f64>(o, O_KIND) == KIND_SPHERE) {
      const inv = 1.0 / load<f64>(o, O_RADIUS)
      nx = (px - load<f64>(o, O_PX)) * inv
      ny = (py - load<f64>(o, O_PY)) * inv
      nz = (pz - load<f64>(o, O_PZ)) * inv
    } else {
      nx = load<f64>(o, O_NX)
      ny = load<f64>(o, O_NY)
      nz = load<f64>(o, O_NZ)
    }
    const frontFace = nx * dx + ny * dy + nz * dz < 0
    if (!frontFace) {
      nx = -nx
      ny = -ny
      nz = -nz
    }

    if (countLights || load<f64>(o, O_LIGHT) == 0) {
      r += tr * load<f64>(o, O_ER)
      g += tg * load<f64>(o, O_EG)
      b += tb * load<f64>(o, O_EB)
    }
    const material = load<f64>(o, O_MATERIAL)
    if (material == MAT_LIGHT || bounce == maxBounces) break

    const cr = load<f64>(o, O_CR), cg = load<f64>(o, O_CG), cb = load<f64>(o, O_CB)
    if (material == MAT_DIFFUSE) {
      directLight(px, py, pz, nx, ny, nz, hit)
      r += tr * cr * lightR
      g += tg * cg * lightG
      b += tb * cb * lightB
      // Cosine-weighted hemisphere: the cosine and the pdf cancel, leaving the albedo.
      around(nx, ny, nz, Math.sqrt(random()))
      countLights = false
    } else if (material == MAT_METAL) {
      const k = 2.0 * (dx * nx + dy * ny + dz * nz)
      let rx = dx - k * nx, ry = dy - k * ny, rz = dz - k * nz
      const roughness = load<f64>(o, O_ROUGHNESS)
      if (roughness > 0) {
        // Fuzz: a random point in the unit ball, by rejection (bounded; falls back to the centre).
        let fx: f64 = 0, fy: f64 = 0, fz: f64 = 0
        for (let tries = 0; tries < 16; tries++) {
          const ax = 2.0 * random() - 1.0, ay = 2.0 * random() - 1.0, az = 2.0 * random() - 1.0
          if (ax * ax + ay * ay + az * az <= 1.0) {
            fx = ax
            fy = ay
            fz = az
            break
          }
        }
        rx += roughness * fx
        ry += roughness * fy
        rz += roughness * fz
        const inv = 1.0 / Math.sqrt(rx * rx + ry * ry + rz * rz)
        rx *= inv
        ry *= inv
        rz *= inv
        if (rx * nx + ry * ny + rz * nz <= 0) break
      }
      dirX = rx
      dirY = ry
      dirZ = rz
      countLights = true
    } else if (material == MAT_GLASS) {
      const ior = load<f64>(o, O_IOR)
      const eta = frontFace ? 1.0 / ior : ior
      const cosI = Math.min(-(dx * nx + dy * ny + dz * nz), 1.0)
      const sin2T = eta * eta * (1.0 - cosI * cosI)
      let r0 = (1.0 - ior) / (1.0 + ior)
      r0 = r0 * r0
      const m = 1.0 - cosI
      const fresnel = r0 + (1.0 - r0) * m * m * m * m * m
      if (sin2T > 1.0 || random() < fresnel) {
        const k = 2.0 * (dx * nx + dy * ny + dz * nz)
        dirX = dx - k * nx
        dirY = dy - k * ny
        dirZ = dz - k * nz
      } else {
        const k = eta * cosI - Math.sqrt(1.0 - sin2T)
        dirX = eta * dx + k * nx
        dirY = eta * dy + k * ny
        dirZ = eta * dz + k * nz
        const inv = 1.0 / Math.sqrt(dirX * dirX + dirY * dirY + dirZ * dirZ)
        dirX *= inv
        dirY *= inv
        dirZ *= inv
      }
      countLights = true
    } else {
      break
    }
    tr *= cr
    tg *= cg
    tb *= cb

    if (bounce >= ROULETTE_AFTER) {
      const survive = Math.min(0.95, Math.max(0.05, Math.max(tr, Math.max(tg, tb))))
      if (random() >= survive) break
      const inv = 1.0 / survive
      tr *= inv
      tg *= inv
      tb *= inv
    }
    ox = px
    oy = py
    oz = pz
    dx = dirX
    dy = dirY
    dz = dirZ
  }
  outR = r
  outG = g
  outB = b
}
