// The flat scene layout shared with src/encodeScene.ts: a Float64Array the host writes into memory.
// Offsets are in bytes so they can be used as constant `load<f64>` immediates.

/** Bumped whenever the layout or the rendering algorithm changes the bytes a tile produces. */
export const ABI_VERSION: i32 = 1

export const HEADER_FLOATS: i32 = 32
export const H_WIDTH: usize = 1 * 8
export const H_HEIGHT: usize = 2 * 8
export const H_SPP: usize = 3 * 8
export const H_BOUNCES: usize = 4 * 8
export const H_SEED: usize = 5 * 8
export const H_CAM_POS: usize = 6 * 8
export const H_CAM_LOOK: usize = 9 * 8
export const H_CAM_UP: usize = 12 * 8
export const H_CAM_FOV: usize = 15 * 8
export const H_SKY_TOP: usize = 16 * 8
export const H_SKY_BOTTOM: usize = 19 * 8
export const H_COUNT: usize = 22 * 8

export const OBJECT_FLOATS: i32 = 20
export const OBJECT_BYTES: usize = 20 * 8
export const O_KIND: usize = 0 * 8
export const O_PX: usize = 1 * 8
export const O_PY: usize = 2 * 8
export const O_PZ: usize = 3 * 8
export const O_RADIUS: usize = 4 * 8
export const O_NX: usize = 5 * 8
export const O_NY: usize = 6 * 8
export const O_NZ: usize = 7 * 8
export const O_MATERIAL: usize = 8 * 8
export const O_CR: usize = 9 * 8
export const O_CG: usize = 10 * 8
export const O_CB: usize = 11 * 8
export const O_ER: usize = 12 * 8
export const O_EG: usize = 13 * 8
export const O_EB: usize = 14 * 8
export const O_ROUGHNESS: usize = 15 * 8
export const O_IOR: usize = 16 * 8
// Filled in by the renderer, not the host: sphere radius squared or plane offset; light flag.
export const O_AUX: usize = 17 * 8
export const O_LIGHT: usize = 18 * 8

export const KIND_SPHERE: f64 = 0
export const KIND_PLANE: f64 = 1

export const MAT_DIFFUSE: f64 = 0
export const MAT_METAL: f64 = 1
export const MAT_GLASS: f64 = 2
export const MAT_LIGHT: f64 = 3
