import { PollView, VoteAccepted, VoteBody } from '@taskmarket/core'
import { Type } from 'typebox'
import { getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) })

/** Polls (seed 002): read, vote once, close. */
export async function pollRoutes(app: TypedApp, common: Common) {
  const { polls } = common

  app.get('/tasks/:id/poll', { schema: { tags: ['polls'], summary: 'A poll: options, votes so far, your vote, and the outcome once closed', params: IdParams, response: { 200: PollView, ...errorResponses } } }, async (request) =>
    polls.view(request.params.id, request.auth?.address),
  )

  app.post(
    '/tasks/:id/vote',
    {
      schema: {
        security: authBy('session', 'api_key'),
        tags: ['polls'],
        summary: 'Vote once; the vote that reaches the poll’s respondents closes it',
        params: IdParams,
        body: VoteBody,
        response: { 201: VoteAccepted, 409: { $ref: 'ErrorResponse#' }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { address } = requireAuth(request)
      const result = await polls.vote(getAddress(address), request.params.id, request.body.option, request.body.gold)
      if (result.closed) common.kickRelayer()
      return reply.status(201).send(result)
    },
  )

  app.post('/tasks/:id/close', { schema: { security: authBy('session', 'api_key'), tags: ['polls'], summary: 'Close your poll now and pay its majority', params: IdParams, response: { 200: PollView, 409: { $ref: 'ErrorResponse#' }, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    await polls.close(getAddress(address), request.params.id)
    common.kickRelayer()
    return polls.view(request.params.id, address)
  })
}
