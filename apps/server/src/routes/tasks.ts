import { CreateTaskBody, CreateTaskResponse, ListTasksQuery, ListTasksResponse, PreparedOrder, TaskJobs, TaskMarketError, TaskRecords, TaskVerification, TaskView, formatTokens, parseTokens } from '@taskmarket/core'
import { Type } from 'typebox'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'
import { UNRESTRICTED_SQL, restricted } from '../services/eligibility.ts'
import { blobResponses } from './sendBlob.ts'
import { TASK_OUTPUT_TYPES, sendTaskOutput } from './sendTaskOutput.ts'
import { loadTask } from './taskViews.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

export async function taskRoutes(app: TypedApp, common: Common) {
  const notFound = () => new TaskMarketError('NOT_FOUND', 'id: no such task', { field: 'id', details: { reason: 'no such task' } })

  app.post(
    '/tasks/orders',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['tasks'],
        summary: 'Prepare the EIP-712 order a poster signs to post a task from their own wallet',
        body: CreateTaskBody,
        response: { 200: PreparedOrder, 402: { $ref: 'ErrorResponse#' }, ...errorResponses },
      },
    },
    async (request) => common.posting.prepareOrder(requireAuth(request).address, request.body),
  )

  app.post(
    '/tasks',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['tasks'],
        summary: 'Post a task; its reward is escrowed on chain before workers see it',
        description: 'Seed 001: {challenge_type, payload, reward, deadline} → {task_id, status, created_at}. With `order`, the poster’s signed order funds it; without, the operator allowance the poster granted (API keys).',
        body: CreateTaskBody,
        response: { 201: CreateTaskResponse, 402: { $ref: 'ErrorResponse#' }, 409: { $ref: 'ErrorResponse#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request)
      const created = await common.posting.createTask({ address: auth.address, method: auth.method as 'session' | 'api_key' }, request.body)
      common.metrics.tasksPosted.inc({ kind: request.body.challenge_type })
      // The public topic carries only tasks anyone may see; restricted ones are found through GET /tasks.
      if (!restricted({ kind: request.body.challenge_type, payload: request.body.payload, qualifications: request.body.qualifications ?? null })) {
        common.events.publish('tasks', { type: 'TASK_SUBMIT', taskId: created.task_id, status: 'pending' })
      }
      common.kickRelayer()
      return reply.status(201).send(created)
    },
  )

  app.get(
    '/tasks',
    {
      schema: {
        tags: ['tasks'],
        summary: 'List tasks (public); tasks with qualifications only to those who meet them',
        querystring: ListTasksQuery,
        response: { 200: ListTasksResponse, ...errorResponses },
      },
    },
    async (request) => {
      const { status, challenge_type, poster, min_reward, limit = 20, offset = 0 } = request.query
      const viewer = request.auth?.address
      const params: unknown[] = []
      const where: string[] = [viewer
        ? `(${UNRESTRICTED_SQL} OR t.id = ANY($${params.push(await common.eligibility.visibleRestricted(common.db, viewer))}::uuid[]))
           AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = t.poster AND b.worker = $${params.push(viewer)})`
        : UNRESTRICTED_SQL]
      if (status) where.push(`status = $${params.push(status)}`)
      if (challenge_type) where.push(`kind = $${params.push(challenge_type)}`)
      if (poster) where.push(`lower(poster) = lower($${params.push(poster)})`)
      if (min_reward) where.push(`reward >= $${params.push(parseTokens(min_reward, 'min_reward').toString())}::numeric`)
      const clause = where.length ? `WHERE ${where.join(' AND ')}` : ''
      const [{ total }] = (await common.db.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks t ${clause}`, params)) as [{ total: number }]
      const rows = await common.db.query(
        `SELECT id, kind, status, reward::text AS reward, created_at, deadline, jobs_done, jobs_total, payload->>'title' AS title FROM tasks t ${clause}
         ORDER BY created_at DESC, id LIMIT $${params.push(limit)} OFFSET $${params.push(offset)}`,
        params,
      )
      return {
        tasks: rows.map((t) => ({
          task_id: t.id,
          ...(t.title ? { title: t.title } : {}),
          challenge_type: t.kind,
          status: t.status,
          reward: formatTokens(BigInt(t.reward)),
          created_at: Math.floor(new Date(t.created_at).getTime() / 1000),
          deadline: Math.floor(new Date(t.deadline).getTime() / 1000),
          progress: t.jobs_total ? t.jobs_done / t.jobs_total : 0,
        })),
        total,
        limit,
        offset,
      }
    },
  )

  app.get('/tasks/:id', { schema: { tags: ['tasks'], summary: 'A task, its progress, escrow and result (public)', params: IdParams, response: { 200: TaskView, ...errorResponses } } }, async (request) => {
    const task = await loadTask(common.db, request.params.id, { viewer: request.auth?.address, eligibility: common.eligibility })
    if (!task) throw notFound()
    return task
  })

  /** The task if the caller may see it (the same gate as GET /tasks/{id}), else 404. */
  const visibleTask = async (request: { params: { id: string }; auth?: { address: string } }) => {
    const task = await loadTask(common.db, request.params.id, { viewer: request.auth?.address, eligibility: common.eligibility })
    if (!task) throw notFound()
    return task
  }

  app.get('/tasks/:id/jobs', { schema: { tags: ['tasks'], summary: 'Jobs of a task with their replicas (public; digests once a job is decided, votes once a poll is closed)', params: IdParams, response: { 200: TaskJobs, ...errorResponses } } }, async (request) => {
    const task = await visibleTask(request)
    // A digest is shown only once its job is decided, so nobody can copy an honest worker's answer; a poll's
    // answers (a digest of a vote reveals it) only once the poll is over.
    const hideAll = task.challenge_type === 'poll' && !['completed', 'failed'].includes(task.status)
    const jobs = await common.db.query<TaskJobs['jobs'][number]>(
      `SELECT j.id, j.index, j.status, CASE WHEN $2 THEN NULL ELSE j.canonical_digest END AS canonical_digest, j.canonical_error, j.output_blob,
         coalesce(json_agg(json_build_object('worker', a.worker, 'status', a.status, 'progress', a.progress,
             'digest', CASE WHEN $2 OR j.status NOT IN ('valid', 'error') THEN NULL ELSE a.digest END) ORDER BY a.created_at)
           FILTER (WHERE a.id IS NOT NULL), '[]') AS replicas
       FROM jobs j LEFT JOIN assignments a ON a.job_id = j.id WHERE j.task_id = $1 GROUP BY j.id ORDER BY j.index`,
      [task.task_id, hideAll],
    )
    return { jobs }
  })

  app.get('/tasks/:id/records', { schema: { tags: ['tasks'], summary: 'Job records anchored on chain, with Merkle proofs (public)', params: IdParams, response: { 200: TaskRecords, ...errorResponses } } }, async (request) => {
    await visibleTask(request)
    const records = await common.db.query<TaskRecords['records'][number]>(
      `SELECT r.batch_id, r.leaf, r.job_id, j.chain_job_id, r.worker, r.result_hash, r.verdict, r.proof, b.jobs_root, b.tx_hash, b.status AS batch_status
       FROM job_records r JOIN jobs j ON j.id = r.job_id JOIN chain_batches b ON b.batch_id = r.batch_id
       WHERE r.task_id = $1 AND b.status = 'confirmed' ORDER BY j.index, r.worker`,
      [request.params.id],
    )
    return { records }
  })

  app.get(
    '/tasks/:id/result',
    {
      schema: {
        tags: ['tasks'],
        summary: 'The finished task’s output file (public, as the task is)',
        description:
          'rendering: the PNG. hash and synthetic: the jobs’ JSON outputs in job order, one per line (application/x-ndjson). wasm: the jobs’ outputs concatenated in job order (application/octet-stream), so a module mapping chunks gives the mapped file. 409 until the task is done, when a job ended in an agreed error, and for manual tasks and polls (their assignments and outcome hold what they produced).',
        params: IdParams,
        response: { ...blobResponses('The output file', TASK_OUTPUT_TYPES), 409: { $ref: 'ErrorResponse#' }, ...errorResponses },
      },
    },
    async (request, reply) => sendTaskOutput(request, reply, common.db, common.blobs, await visibleTask(request)),
  )

  // Seed 000: trigger or read the verification of a task (compute tasks are verified by quorum as results arrive).
  app.post(
    '/tasks/verify',
    { schema: { security: authBy('session', 'api_key'), tags: ['tasks', 'seed 000'], summary: 'Verification state of a task (poster)', body: Type.Object({ task_id: Type.String({ format: 'uuid' }) }, { additionalProperties: false }), response: { 200: TaskVerification, ...errorResponses } } },
    async (request) => {
      const auth = requireAuth(request)
      const task = await loadTask(common.db, request.body.task_id)
      if (!task) throw notFound()
      if (task.poster.toLowerCase() !== auth.address.toLowerCase()) throw new TaskMarketError('FORBIDDEN', 'task_id: not your task', { field: 'task_id', details: { reason: 'not your task' } })
      common.kickRelayer()
      return { task_id: task.task_id, status: task.status, verified: task.status === 'completed' || task.status === 'verifying', progress: task.progress, settlement: task.settlement }
    },
  )
}
