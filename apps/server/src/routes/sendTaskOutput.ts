import { Readable } from 'node:stream'
import { TaskMarketError, computeKinds } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { jobOutputs } from '../repositories/jobs.ts'
import type { BlobInfo, BlobStore } from '../services/blobStore.ts'
import { BLOB_CSP, sendBlob } from './sendBlob.ts'

type OutputTask = { task_id: string; challenge_type: string; status: string; result: { output_url?: string } | null }

const noOutput = (reason: string, message = reason) => new TaskMarketError('CONFLICT', `id: ${message}`, { field: 'id', details: { reason } })

/** What an output file is sent as: a rendering's PNG, JSON lines (hash, synthetic), bytes (wasm). */
export const TASK_OUTPUT_TYPES = ['image/png', 'application/x-ndjson', 'application/octet-stream'] as const

/** Where a kind without an output file keeps what it produced. */
const elsewhere: Record<string, string> = {
  manual: 'a manual task has no output file: its assignments hold the proofs (GET /tasks/{id}/assignments)',
  poll: 'a poll has no output file: its outcome is in GET /tasks/{id}/poll',
}

/**
 * Sends a finished task's output: a rendering's PNG; for the other compute kinds the verified outputs of
 * its jobs in job order, as JSON lines (application/x-ndjson) when the outputs are JSON (hash, synthetic),
 * else their bytes concatenated (wasm). Refused with 409 before the task is done or when a job ended in an
 * agreed error, and for kinds that have no output file.
 */
export async function sendTaskOutput(request: FastifyRequest, reply: FastifyReply, db: Queryable, blobs: BlobStore, task: OutputTask) {
  if (elsewhere[task.challenge_type]) throw noOutput('no output file', elsewhere[task.challenge_type])
  if (!task.result || !computeKinds.includes(task.challenge_type as never)) throw noOutput('no output yet', `the task is ${task.status} and has no output yet`)
  if (task.challenge_type === 'rendering') {
    const info = task.result.output_url ? await blobs.info(task.result.output_url.split('/').pop()!) : undefined
    if (!info) throw noOutput('no output', 'the rendering has no image: some tiles ended in an error (GET /tasks/{id}/jobs shows which)')
    reply.header('content-disposition', `inline; filename="${task.task_id}.png"`)
    return sendBlob(request, reply, blobs, { hash: info.hash, size: info.size, contentType: info.content_type }, 'public, max-age=31536000, immutable')
  }

  const jobs = await jobOutputs(db, task.task_id)
  const parts: BlobInfo[] = []
  for (const job of jobs) {
    const info = job.output_blob ? await blobs.info(job.output_blob) : undefined
    if (!info) throw noOutput('a job has no output', `job ${job.index} has no output${job.canonical_error ? ` (its workers agreed on the error ${job.canonical_error})` : ''}; GET /tasks/{id}/jobs shows every job`)
    parts.push(info)
  }
  const lines = parts.every((p) => p.content_type === 'application/json')
  const size = parts.reduce((sum, p) => sum + p.size + (lines ? 1 : 0), 0)
  reply
    .header('content-type', lines ? 'application/x-ndjson' : 'application/octet-stream')
    .header('content-length', size)
    .header('content-disposition', `attachment; filename="${task.task_id}.${lines ? 'ndjson' : 'bin'}"`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', BLOB_CSP)
    .header('x-job-count', parts.length)
    .header('cache-control', 'public, max-age=31536000, immutable')
  return reply.send(Readable.from(concatenate(blobs, parts, lines), { objectMode: false }))
}

/**
 * The parts in order, each chunk held back until the next is read: the last bytes go out only once every
 * file has ended, so the response finishes with them. (Ending later races a client that already has every
 * byte of the content-length and a server closing its idle keep-alive connections.)
 */
async function* concatenate(blobs: BlobStore, parts: BlobInfo[], lines: boolean) {
  let held: Buffer | undefined
  for (const part of parts) {
    for await (const chunk of blobs.open(part.hash)) {
      if (held) yield held
      held = chunk as Buffer
    }
    if (lines) {
      if (held) yield held
      held = Buffer.from('\n')
    }
  }
  if (held) yield held
}
