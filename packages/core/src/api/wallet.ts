import { type Static, Type } from 'typebox'
import { Address, UnixSeconds } from './common.ts'

/** An account's balances in tokens (ETH for gas), as decimal strings (GET /wallet). */
export const WalletBalances = Type.Object({
  address: Address,
  eth: Type.String(),
  wallet: Type.String({ description: 'Tokens in the wallet itself' }),
  deposited: Type.String({ description: 'Deposited in the escrow, free to post with or withdraw' }),
  locked: Type.String({ description: 'What the escrow still holds for the poster’s tasks' }),
  awaiting: Type.String({ description: 'Posted but not yet locked on chain' }),
  staked: Type.String(),
  unstaking: Type.String(),
})
export type WalletBalances = Static<typeof WalletBalances>

/** An indexed chain event naming the account. */
export const ChainEvent = Type.Object({
  block_number: Type.String({ description: 'An unbounded integer, as a decimal string' }),
  log_index: Type.Integer(),
  tx_hash: Type.String(),
  contract: Type.String({ description: 'token, sale, escrow or registry (else the address)' }),
  event: Type.String(),
  args: Type.Record(Type.String(), Type.Unknown(), { description: 'The event’s arguments; integers as decimal strings' }),
  time: Type.Union([UnixSeconds, Type.Null()]),
})
export type ChainEvent = Static<typeof ChainEvent>

export const WalletHistory = Type.Object({ events: Type.Array(ChainEvent) })
export type WalletHistory = Static<typeof WalletHistory>
