import type { Readable } from 'node:stream'
import { ApproveBody, AssignmentList, AssignmentView, ListPage, ReasonBody, ResolveDisputeBody, SubmitWorkBody, TaskMarketError, UploadedProof, fileProofKinds, formatTokens, netPay } from '@taskmarket/core'
import { Type } from 'typebox'
import { type Address, getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { type AssignmentRow, assignmentById, disputedAssignments, taskAssignments, workerAssignments } from '../repositories/assignments.ts'
import { MAX_PROOF_BYTES, rowStatuses, viewStatus } from '../services/manualWork.ts'
import { authBy, errorResponses, isOperator, requireAuth } from './authHook.ts'
import { blobResponses, sendBlob } from './sendBlob.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })
const ProofParams = Type.Object({ id: Type.String({ format: 'uuid' }), kind: Type.Union(fileProofKinds.map((k) => Type.Literal(k))) })
/** Manual work is for people: a session or an API key, never a node. */
const people = authBy('session', 'api_key')
const withView = { response: { 200: AssignmentView, 201: AssignmentView, 409: { $ref: 'ErrorResponse#' }, ...errorResponses } }
const withList = { response: { 200: AssignmentList, ...errorResponses } }

/** Manual tasks (seed 000): claims, proofs, submissions, reviews and disputes, for people (sessions or API keys). */
export async function workRoutes(app: TypedApp, common: Common) {
  const { db, manualWork } = common
  const operator = (address: string) => isOperator(common, address)

  /** An assignment the caller may see: its worker, the task's poster or the operator. */
  async function visible(address: string, id: string) {
    const row = await assignmentById(db, id)
    if (!row) throw new TaskMarketError('NOT_FOUND', 'id: no such assignment', { field: 'id', details: { reason: 'no such assignment' } })
    const me = getAddress(address)
    if (getAddress(row.worker) !== me && getAddress(row.poster) !== me && !operator(me)) throw new TaskMarketError('FORBIDDEN', 'id: only its worker and the task’s poster see an assignment', { field: 'id', details: { reason: 'not yours' } })
    return row
  }
  const view = async (address: string, id: string) => assignmentView(await visible(address, id))

  app.post('/tasks/:id/claim', { schema: { security: people, tags: ['manual work'], summary: 'Take a free slot of a manual task', params: IdParams, ...withView } }, async (request, reply) => {
    const { address } = requireAuth(request)
    const id = await manualWork.claim(getAddress(address), request.params.id)
    return reply.status(201).send(await view(address, id))
  })

  app.get('/assignments', { schema: { security: people, tags: ['manual work'], summary: 'Your assignments, newest first', querystring: Type.Object({ status: Type.Optional(Type.String({ maxLength: 20 })), ...ListPage }), ...withList } }, async (request) => {
    const { address } = requireAuth(request)
    const { status, ...page } = request.query
    const rows = await workerAssignments(db, { worker: getAddress(address), statuses: status ? rowStatuses(status) : undefined, ...page })
    return { assignments: rows.map(assignmentView) }
  })

  app.get('/tasks/:id/assignments', { schema: { security: people, tags: ['manual work'], summary: 'A manual task’s assignments: all of them for its poster, your own otherwise', params: IdParams, ...withList } }, async (request) => {
    const { address } = requireAuth(request)
    const me = getAddress(address)
    const rows = await taskAssignments(db, request.params.id)
    return { assignments: rows.filter((r) => getAddress(r.poster) === me || getAddress(r.worker) === me || operator(me)).map(assignmentView) }
  })

  app.get('/assignments/:id', { schema: { security: people, tags: ['manual work'], summary: 'An assignment with its proofs (its worker, the poster, the operator)', params: IdParams, ...withView } }, async (request) => {
    return view(requireAuth(request).address, request.params.id)
  })

  app.put(
    '/assignments/:id/proofs/:kind',
    { schema: { security: people, tags: ['manual work'], summary: `Upload a photo or signature (JPEG or PNG, at most ${MAX_PROOF_BYTES / 1024 / 1024} MiB; metadata is stripped)`, params: ProofParams, response: { 200: UploadedProof, 413: { $ref: 'ErrorResponse#' }, 415: { $ref: 'ErrorResponse#' }, 409: { $ref: 'ErrorResponse#' }, ...errorResponses } } },
    async (request) => {
      const { address } = requireAuth(request)
      const { kind } = request.params
      const declared = Number(request.headers['content-length'] ?? 0)
      if (declared > MAX_PROOF_BYTES) throw tooLarge(kind)
      const bytes = request.rawBody !== undefined ? new TextEncoder().encode(request.rawBody) : await readLimited(request.raw, MAX_PROOF_BYTES, kind)
      return manualWork.putProof(getAddress(address), request.params.id, kind, bytes)
    },
  )

  app.get('/assignments/:id/proofs/:kind', { schema: { security: people, tags: ['manual work'], summary: 'A proof image (its worker, the poster, the operator)', params: ProofParams, response: { ...blobResponses('The image, without its metadata', ['image/jpeg', 'image/png']), ...errorResponses } } }, async (request, reply) => {
    const row = await visible(requireAuth(request).address, request.params.id)
    const proof = row.answer?.[request.params.kind]
    if (!proof) throw new TaskMarketError('NOT_FOUND', `kind: no ${request.params.kind} uploaded`, { field: 'kind', details: { reason: 'not uploaded' } })
    return sendBlob(request, reply, common.blobs, { hash: proof.sha256, size: proof.size, contentType: proof.content_type }, 'private, max-age=3600')
  })

  const act = (path: string, summary: string, body: any, run: (address: Address, id: string, body: any) => Promise<unknown>) =>
    app.post(`/assignments/:id/${path}`, { schema: { security: people, tags: ['manual work'], summary, params: IdParams, body, ...withView } }, async (request) => {
      const { address } = requireAuth(request)
      await run(getAddress(address), request.params.id, request.body)
      common.kickRelayer()
      return view(address, request.params.id)
    })
  const Empty = Type.Object({}, { additionalProperties: false })
  act('submit', 'Submit the work with the proofs the task asks for', SubmitWorkBody, (a, id, body) => manualWork.submit(a, id, body))
  act('release', 'Give a claimed slot back', Empty, (a, id) => manualWork.release(a, id))
  act('approve', 'Approve submitted work (poster), with an optional rating of 1–5 stars; the assignment is paid on its own', ApproveBody, (a, id, body) => manualWork.approve({ address: a, role: 'poster' }, id, body.rating))
  act('reject', 'Reject submitted work with a reason (poster); the slot returns to the pool', ReasonBody, (a, id, body) => manualWork.reject({ address: a, role: 'poster' }, id, body.reason))
  act('dispute', 'Dispute submitted work (poster); the task is frozen on chain until an operator resolves it', ReasonBody, (a, id, body) => manualWork.dispute({ address: a, role: 'poster' }, id, body.reason))
  act('resolve', 'Resolve a dispute (operator): pay the worker, reject the work, or rule misuse (half the worker’s stake, and a ban)', ResolveDisputeBody, async (a, id, body) => {
    if (!operator(a)) throw new TaskMarketError('FORBIDDEN', 'authorization: only the operator resolves disputes', { field: 'authorization', details: { reason: 'not the operator' } })
    // A misuse ruling takes half of what the worker has staked on chain now.
    const worker = body.outcome === 'misuse' ? (await visible(a, id)).worker : undefined
    const stake = worker ? (await common.chain.contracts.registry.read.getNode([getAddress(worker)])).stake : undefined
    await manualWork.resolve(a, id, body.outcome, body.note, stake)
  })

  app.get('/disputes', { schema: { security: people, tags: ['manual work'], summary: 'Open disputes: all of them for the operator, yours (as poster or worker) otherwise', querystring: Type.Object(ListPage), ...withList } }, async (request) => {
    const me = getAddress(requireAuth(request).address)
    const rows = await disputedAssignments(db, { party: operator(me) ? undefined : me, ...request.query })
    return { assignments: rows.map(assignmentView) }
  })
}

const epoch = (d: Date | string | null | undefined) => (d ? Math.floor(new Date(d).getTime() / 1000) : null)

/** An assignment as the API shows it: proofs as URLs (never the raw blob hash), the worker's net pay. */
export function assignmentView(a: AssignmentRow): AssignmentView {
  const answer = a.answer ?? {}
  const file = (kind: 'photo' | 'signature') => (answer[kind] ? { url: `/assignments/${a.id}/proofs/${kind}`, content_type: answer[kind].content_type, size: answer[kind].size } : undefined)
  const net = netPay(a.paid_amount ? BigInt(a.paid_amount) : 0n)
  return {
    assignment_id: a.id,
    task_id: a.task_id,
    task_title: a.task_title ?? '',
    slot: a.slot,
    worker: a.worker as Address,
    status: viewStatus(a.status) as AssignmentView['status'],
    claimed_at: epoch(a.created_at)!,
    expires_at: a.status === 'leased' ? epoch(a.lease_expires_at) : null,
    submitted_at: epoch(a.submitted_at),
    review_due_at: a.status === 'submitted' ? epoch(a.review_due_at) : null,
    reviewed_at: epoch(a.reviewed_at),
    review: a.review ? { by: a.review.by, reason: a.review.reason ?? null } : null,
    proofs: {
      ...(file('photo') ? { photo: file('photo') } : {}),
      ...(file('signature') ? { signature: file('signature') } : {}),
      ...(answer.location ? { location: answer.location } : {}),
      ...(answer.text !== undefined ? { text: answer.text } : {}),
      ...(answer.checklist ? { checklist: answer.checklist } : {}),
    },
    payment: { amount: formatTokens(net), state: (a.payment_state ?? 'none') as 'none' | 'queued' | 'paid', tx_hash: a.payment_tx ?? null },
  }
}

function tooLarge(kind: string) {
  return new TaskMarketError('PAYLOAD_TOO_LARGE', `${kind}: larger than the ${MAX_PROOF_BYTES / 1024 / 1024} MiB limit`, { field: kind, details: { reason: `larger than ${MAX_PROOF_BYTES} bytes` } })
}

async function readLimited(stream: Readable, limit: number, kind: string): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of stream) {
    size += (chunk as Buffer).length
    if (size > limit) throw tooLarge(kind)
    chunks.push(chunk as Buffer)
  }
  return new Uint8Array(Buffer.concat(chunks))
}
