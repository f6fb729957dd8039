import { Type } from 'typebox'
import { BlockChanged, BlockList, ListPage, OwnProfile, ProfileBody, PublicProfile, invalid } from '@taskmarket/core'
import { getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { blockWorker, listBlocks, unblockWorker } from '../repositories/blocks.ts'
import { ownProfile, publicDescriptors, saveProfile } from '../repositories/profiles.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'

const AddressParams = Type.Object({ address: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }) })

/** Profiles (seed 002's descriptors) and a poster's blocked workers. */
export async function profileRoutes(app: TypedApp, common: Common) {
  const { db } = common

  app.get('/profile', { schema: { security: authBy('session', 'api_key'), tags: ['profiles'], summary: 'Your profile, with your sensitive descriptors if you opted in', response: { 200: OwnProfile, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    const row = await ownProfile(db, address)
    return { address, descriptors: row?.public ?? {}, sensitive_opt_in: row?.sensitive != null, sensitive: row?.sensitive ?? null }
  })

  app.put('/profile', { schema: { security: authBy('session'), tags: ['profiles'], summary: 'Set your descriptors; sensitive ones only with sensitive_opt_in', body: ProfileBody, response: { 200: OwnProfile, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    const { descriptors, sensitive_opt_in, sensitive } = request.body
    if (!sensitive_opt_in && sensitive && Object.keys(sensitive).length) throw invalid('sensitive', 'is only kept when sensitive_opt_in is true')
    await saveProfile(db, { address, descriptors, sensitive: sensitive_opt_in ? (sensitive ?? {}) : null })
    return { address, descriptors, sensitive_opt_in, sensitive: sensitive_opt_in ? (sensitive ?? {}) : null }
  })

  app.get('/profiles/:address', { schema: { tags: ['profiles'], summary: 'Someone’s public descriptors (never the sensitive ones)', params: AddressParams, response: { 200: PublicProfile, ...errorResponses } } }, async (request) => {
    const address = getAddress(request.params.address)
    return { address, descriptors: (await publicDescriptors(db, address)) ?? {} }
  })

  app.get('/blocks', { schema: { security: authBy('session', 'api_key'), tags: ['profiles'], summary: 'Workers you blocked, newest first', querystring: Type.Object(ListPage), response: { 200: BlockList, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    const { limit = 100, offset = 0 } = request.query
    return { blocks: await listBlocks(db, { poster: address, limit, offset }) }
  })

  app.post(
    '/blocks',
    { schema: { security: authBy('session', 'api_key'), tags: ['profiles'], summary: 'Block a worker from your tasks', body: Type.Object({ worker: Type.String({ pattern: '^0x[0-9a-fA-F]{40}$' }), reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), response: { 200: BlockChanged, ...errorResponses } } },
    async (request) => {
      const { address } = requireAuth(request)
      const worker = getAddress(request.body.worker)
      if (worker === getAddress(address)) throw invalid('worker', 'you cannot block yourself')
      await blockWorker(db, { poster: address, worker, reason: request.body.reason ?? null })
      return { worker, blocked: true }
    },
  )

  app.delete('/blocks/:address', { schema: { security: authBy('session', 'api_key'), tags: ['profiles'], summary: 'Unblock a worker', params: AddressParams, response: { 200: BlockChanged, ...errorResponses } } }, async (request) => {
    const { address } = requireAuth(request)
    await unblockWorker(db, { poster: address, worker: getAddress(request.params.address) })
    return { worker: getAddress(request.params.address), blocked: false }
  })
}
