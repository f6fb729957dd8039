import cornell from '../scenes/cornell.json' with { type: 'json' }
import spheres from '../scenes/spheres.json' with { type: 'json' }
import { parseScene } from './parseScene.ts'
import type { Scene } from './scene.ts'

/** Built-in scenes (128x128, 16 samples): a Cornell box with a mirror and a glass ball; spheres under a sky. */
export const exampleScenes: Readonly<Record<'cornell' | 'spheres', Scene>> = Object.freeze({
  cornell: parseScene(cornell),
  spheres: parseScene(spheres),
})
