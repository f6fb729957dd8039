import { Type } from 'typebox'
import { ListPage, WalletBalances, WalletHistory, formatTokens } from '@taskmarket/core'
import { type Address, getAddress } from 'viem'
import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { posterEscrow, walletHistory } from '../repositories/wallet.ts'
import { authBy, errorResponses, requireAuth } from './authHook.ts'

export async function walletRoutes(app: TypedApp, common: Common) {
  app.get(
    '/wallet',
    { schema: { security: authBy('session', 'api_key', 'node'), tags: ['wallet'], summary: 'Your balances: in the wallet, deposited, locked in escrow, staked', response: { 200: WalletBalances, ...errorResponses } } },
    async (request) => {
      const address = getAddress(requireAuth(request).address) as Address
      const { token, escrow, registry } = common.chain.contracts
      const [wallet, deposited, node, eth] = await Promise.all([
        token.read.balanceOf([address]),
        escrow.read.balanceOf([address]),
        registry.read.getNode([address]),
        common.chain.publicClient.getBalance({ address }),
      ])
      // Locked is what the escrow still holds for the poster's tasks; awaiting is posted but not yet locked on chain.
      const locked = await posterEscrow(common.db, address)
      return {
        address,
        eth: formatTokens(eth),
        wallet: formatTokens(wallet),
        deposited: formatTokens(deposited),
        locked: formatTokens(BigInt(locked.v)),
        awaiting: formatTokens(BigInt(locked.awaiting)),
        staked: formatTokens(node.stake),
        unstaking: formatTokens(node.unstaking),
      }
    },
  )

  app.get(
    '/wallet/history',
    { schema: { security: authBy('session', 'api_key', 'node'), tags: ['wallet'], summary: 'Your on-chain history (indexed events)', querystring: Type.Object(ListPage), response: { 200: WalletHistory, ...errorResponses } } },
    async (request) => {
      const address = getAddress(requireAuth(request).address)
      return { events: await walletHistory(common.db, { account: address, limit: request.query.limit ?? 100, offset: request.query.offset ?? 0 }) }
    },
  )
}
