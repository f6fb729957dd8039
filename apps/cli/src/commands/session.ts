import { readFileSync } from 'node:fs'
import { createClient } from '@taskmarket/sdk'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { UsageError } from '../args.ts'

/**
 * A client for the command: an API key (TASKMARKET_API_KEY or --api-key) posts through the operator
 * allowance; a private key (TASKMARKET_KEY, or --key FILE) signs in with Ethereum and signs orders.
 */
export async function openSession(values: { server?: string; 'api-key'?: string; key?: string }, { needAuth = true } = {}) {
  const baseUrl = values.server ?? process.env.TASKMARKET_SERVER ?? 'http://localhost:8080'
  const apiKey = values['api-key'] ?? process.env.TASKMARKET_API_KEY
  const account = loadAccount(values.key)
  const client = createClient({ baseUrl, apiKey })
  if (needAuth && !apiKey) {
    if (!account) throw new UsageError('set TASKMARKET_API_KEY (or --api-key), or TASKMARKET_KEY / --key FILE with a private key')
    const config = await client.market.config()
    await client.auth.signIn(account, { chainId: config.chain_id })
  }
  return { client, account, baseUrl, apiKey }
}

export function loadAccount(keyFile?: string) {
  const raw = keyFile ? readFileSync(keyFile, 'utf8').trim() : process.env.TASKMARKET_KEY
  if (!raw) return undefined
  if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) throw new UsageError('the private key must be 0x followed by 64 hex digits')
  return privateKeyToAccount(raw as Hex)
}
