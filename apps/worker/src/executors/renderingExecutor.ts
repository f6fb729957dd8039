import { loadPathtracer, parseScene, SceneError, type Scene, type Tile } from '@taskmarket/pathtracer'
import { throwIfAborted } from './abort.ts'
import { invalid, readPayload } from './payload.ts'
import type { RenderTileTaskInput } from './renderTileTask.ts'
import { runInWorkerThread } from './runInWorkerThread.ts'
import { throttleProgress } from './throttleProgress.ts'
import { ExecutorError, type Executor, type ExecutorContext, type JobOutput, type JobSpec } from './types.ts'

const task = new URL('./renderTileTask.ts', import.meta.url)

/** Job payload of kind `rendering`: one tile of a scene (the scene JSON of @taskmarket/pathtracer). */
export type RenderingPayload = { scene: Scene; tile: Tile }

export type RenderingExecutorOptions = {
  /** Largest tile, in pixels (default 1,048,576: 1024×1024). */
  maxTilePixels?: number
  /** Wall-clock limit of one tile (default 10 minutes). */
  timeLimitMs?: number
  /** V8 heap of the rendering thread, in MB (default 128). */
  heapMb?: number
  /** The path tracer's binary; build/pathtracer.wasm of @taskmarket/pathtracer when omitted. */
  wasm?: Uint8Array
}

/** Parses and checks a `rendering` payload; throws ExecutorError naming the field (`scene.camera.fov`, `tile.width`). */
export function parseRenderingPayload(payload: unknown, options: RenderingExecutorOptions = {}): RenderingPayload {
  const p = readPayload(payload)
  let scene: Scene
  try {
    scene = parseScene(p.raw('scene') ?? null)
  } catch (error) {
    if (!(error instanceof SceneError)) throw error
    const field = error.field ? `scene.${error.field}` : 'scene'
    throw new ExecutorError('INVALID_PAYLOAD', `${field} ${error.reason}`, { field, cause: error })
  }
  const t = p.object('tile')
  const x = t.integer('x', 0, scene.width - 1)
  const y = t.integer('y', 0, scene.height - 1)
  const tile: Tile = {
    index: t.integer('index', 0, scene.width * scene.height),
    x,
    y,
    width: t.integer('width', 1, scene.width - x),
    height: t.integer('height', 1, scene.height - y),
  }
  const maxPixels = options.maxTilePixels ?? 1024 * 1024
  if (tile.width * tile.height > maxPixels) {
    throw invalid('tile.height', `times tile.width must be at most ${maxPixels} pixels`, tile.height)
  }
  return { scene, tile }
}

/**
 * The `rendering` executor: renders one tile with the WebAssembly path tracer of
 * @taskmarket/pathtracer in a worker thread and outputs its raw RGBA bytes (width×height×4, rows top
 * to bottom), which the server assembles into the PNG.
 */
export function renderingExecutor(options: RenderingExecutorOptions = {}): Executor {
  let compiled: Promise<WebAssembly.Module> | undefined
  const pathtracer = () => {
    compiled ??= Promise.resolve()
      .then(() => WebAssembly.compile((options.wasm ?? loadPathtracer()) as Uint8Array<ArrayBuffer>))
      .catch((cause) => {
        compiled = undefined
        throw new ExecutorError('EXECUTION_FAILED', `the path tracer is not available: ${(cause as Error).message}`, {
          retryable: true,
          cause,
        })
      })
    return compiled
  }
  return {
    kind: 'rendering',
    validate(payload) {
      parseRenderingPayload(payload, options)
    },
    async run(job: JobSpec, ctx: ExecutorContext): Promise<JobOutput> {
      const { scene, tile } = parseRenderingPayload(job.payload, options)
      const started = performance.now()
      const wasm = await pathtracer()
      throwIfAborted(ctx.signal)
      const input: RenderTileTaskInput = { wasm, scene, tile, strips: Math.min(tile.height, 16) }
      const rgba = await runInWorkerThread<Uint8Array>({
        task,
        input,
        signal: ctx.signal,
        timeLimitMs: options.timeLimitMs ?? 600_000,
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 128 },
        reuse: true,
        onProgress: throttleProgress(ctx.progress),
      })
      const pixels = tile.width * tile.height
      return {
        output: rgba,
        contentType: 'application/octet-stream',
        metrics: {
          pixels,
          samples: pixels * scene.samples_per_pixel,
          duration_ms: performance.now() - started,
        },
      }
    },
  }
}
