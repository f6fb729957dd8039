export { assemblePng } from './assemblePng.ts'
export { crc32 } from './crc32.ts'
export { decodePng } from './decodePng.ts'
export { ABI_VERSION, encodeScene } from './encodeScene.ts'
export { encodePng } from './encodePng.ts'
export { PathtracerError, SceneError, TileError } from './errors.ts'
export { exampleScenes } from './exampleScenes.ts'
export { loadPathtracer } from './loadPathtracer.ts'
export { parseScene } from './parseScene.ts'
export { planTiles } from './planTiles.ts'
export { renderImage } from './renderImage.ts'
export { compilePathtracer, renderTile } from './renderTile.ts'
export {
  type Camera, type Material, type MaterialType, type Plane, type Scene, type SceneObject, type Sphere, type Vec3,
  sceneLimits,
} from './scene.ts'
export type { RenderedTile, Tile } from './tile.ts'
