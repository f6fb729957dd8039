import { MarketConfig, Ok, ReconciliationReport } from '@taskmarket/core'
import { Type } from 'typebox'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { pingDatabase } from '../repositories/health.ts'
import { isOperator } from './authHook.ts'
import { bytesResponse } from './bytesResponse.ts'

const NotReady = Type.Object({ ok: Type.Literal(false), error: Type.String() })

export async function systemRoutes(app: TypedApp, common: Common) {
  app.get('/healthz', { schema: { hide: true, response: { 200: Ok } } }, async () => ({ ok: true as const }))
  app.get('/readyz', { schema: { hide: true, response: { 200: Ok, 503: NotReady } } }, async (_request, reply) => {
    try {
      await pingDatabase(common.db)
      await common.chain.publicClient.getBlockNumber()
      return { ok: true as const }
    } catch (error) {
      return reply.status(503).send({ ok: false, error: String(error) })
    }
  })
  app.get('/metrics', { schema: { hide: true, response: { 200: bytesResponse('Prometheus metrics', ['text/plain']) } } }, async (_request, reply) => {
    reply.header('content-type', common.metrics.registry.contentType)
    return common.metrics.registry.metrics()
  })
  app.get('/config', { schema: { summary: 'Chain, contracts and operator of this market', tags: ['system'], response: { 200: MarketConfig } } }, async () => ({
    chain_id: common.chain.chain.id,
    rpc_url: common.chain.local ? common.chain.rpcUrl : undefined,
    contracts: common.chain.deployment.addresses,
    operator: common.chain.operator.address,
    treasury: common.chain.deployment.treasury,
  }))

  app.get(
    '/reconciliation',
    {
      schema: {
        summary: 'The last comparison of the escrow the database shows with the chain (drift, quarantined outbox items); the operator may ask for a fresh one',
        tags: ['system'],
        querystring: Type.Object({ fresh: Type.Optional(Type.Boolean({ description: 'Run it now (operator only)' })) }, { additionalProperties: false }),
        response: { 200: ReconciliationReport },
      },
    },
    async (request) => {
      const operator = request.auth && isOperator(common, request.auth.address)
      // A fresh run reads the chain once per open task: only the operator may trigger it; others see the last one.
      const last = common.reconciliation.last()
      if ((request.query.fresh && operator) || !last) return common.reconciliation.run()
      return last
    },
  )
}
