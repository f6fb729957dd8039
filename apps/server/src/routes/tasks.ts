import { CreateTaskBody, CreateTaskResponse, ListTasksQuery, ListTasksResponse, PreparedOrder, QuoteRequest, TaskJobs, TaskQuote, TaskMarketError, TaskRecords, TaskVerification, TaskView, formatTokens, parseTokens } from '@taskmarket/core'
import { Type } from 'typebox'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'
import { jobRecords, taskJobs } from '../repositories/jobs.ts'
import { listTasks } from '../repositories/tasks.ts'
import { restricted } from '../services/eligibility.ts'
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
    '/tasks/quote',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['tasks'],
        summary: 'Quote a compute task before posting it: its jobs and replication, the online nodes ranked for it, and its cost at their prices',
        description: 'Seed 003’s estimateTaskCost. The replication is the one the task gets when posted with the same body; bids are ranked by w1·price + w2·reputation + w3·latency + w4·uptime + w5·verifiedPower, with each term shown.',
        body: QuoteRequest,
        response: { 200: TaskQuote, ...errorResponses },
      },
    },
    async (request) => {
      requireAuth(request)
      return common.quote(request.body)
    },
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
      const address = request.auth?.address
      const viewer = address ? { address, restrictedIds: await common.eligibility.visibleRestricted(common.db, address) } : undefined
      const minReward = min_reward ? parseTokens(min_reward, 'min_reward') : undefined
      const { total, tasks } = await listTasks(common.db, { viewer, status, kind: challenge_type, poster, minReward, limit, offset })
      return {
        tasks: tasks.map((t) => ({
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
    const task = await loadTask(common.db, request.params.id, { viewer: request.auth?.address, eligibility: common.eligibility }, new Date(common.common.clock()))
    if (!task) throw notFound()
    return task
  })

  /** The task if the caller may see it (the same gate as GET /tasks/{id}), else 404. */
  const visibleTask = async (request: { params: { id: string }; auth?: { address: string } }) => {
    const task = await loadTask(common.db, request.params.id, { viewer: request.auth?.address, eligibility: common.eligibility }, new Date(common.common.clock()))
    if (!task) throw notFound()
    return task
  }

  app.get('/tasks/:id/jobs', { schema: { tags: ['tasks'], summary: 'Jobs of a task with their replicas (public; digests once a job is decided, votes once a poll is closed)', params: IdParams, response: { 200: TaskJobs, ...errorResponses } } }, async (request) => {
    const task = await visibleTask(request)
    // A digest is shown only once its job is decided, so nobody can copy an honest worker's answer; a poll's
    // answers (a digest of a vote reveals it) only once the poll is over.
    const hideAll = task.challenge_type === 'poll' && !['completed', 'failed'].includes(task.status)
    const viewer = request.auth?.address?.toLowerCase()
    const insider = viewer !== undefined && [task.poster, common.chain.operator.address].some((a) => a.toLowerCase() === viewer)
    return { jobs: await taskJobs(common.db, { taskId: task.task_id, hideDigests: hideAll, hideUndecided: !insider && task.challenge_type !== 'poll' && task.challenge_type !== 'manual' }) }
  })

  app.get('/tasks/:id/records', { schema: { tags: ['tasks'], summary: 'Job records anchored on chain, with Merkle proofs (public)', params: IdParams, response: { 200: TaskRecords, ...errorResponses } } }, async (request) => {
    await visibleTask(request)
    return { records: await jobRecords(common.db, request.params.id) }
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
