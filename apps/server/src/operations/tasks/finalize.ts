import { assemblePng } from '@taskmarket/pathtracer'
import type { Queryable } from '@taskmarket/db'
import type { BlobStore } from '../../services/blobStore.ts'

/** Builds a task's deliverable from its verified jobs: a rendering's tiles become one PNG. */
export function createFinalizer(blobs: BlobStore) {
  return async function finalize(tx: Queryable, taskId: string): Promise<Record<string, unknown>> {
    const [task] = await tx.query<{ kind: string }>('SELECT kind FROM tasks WHERE id = $1', [taskId])
    if (task?.kind !== 'rendering') return {}
    const jobs = await tx.query<{ payload: any; output_blob: string | null; canonical_error: string | null }>('SELECT payload, output_blob, canonical_error FROM jobs WHERE task_id = $1 ORDER BY index', [taskId])
    // Tiles whose replicas agreed on an error were paid, but there is no image to assemble.
    const failed = jobs.filter((j) => j.canonical_error)
    if (failed.length) return { failed_jobs: failed.length, errors: [...new Set(failed.map((j) => j.canonical_error))] }
    const scene = jobs[0]!.payload.scene
    const tiles = await Promise.all(jobs.map(async (j) => ({ tile: j.payload.tile, rgba: new Uint8Array(await blobs.read(j.output_blob!)) })))
    const png = assemblePng(scene, tiles)
    const blob = await blobs.putBuffer(png, 'image/png', tx)
    return { output_blob: blob.hash, png_sha256: blob.hash }
  }
}
