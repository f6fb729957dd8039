import { readFileSync } from 'node:fs'
import { createClient } from '@taskmarket/sdk'
import type { Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { UsageError } from '../args.ts'

/**
 * A client for the command: an API key (TASKMARKET_API_KEY or --api-key) posts through the operator
 * allowance; a private key (TASKMARKET_KEY, or --key FILE) signs in with Ethereum and signs orders.
 */
export async function openSession(values: { server?: string; 'api-key'?: string; key?: string }, { needAuth = true, walletOnly = false } = {}) {
  const baseUrl = serverUrl(values)
  // walletOnly: what only a wallet session may do (managing API keys), whatever API key is set.
  const apiKey = walletOnly ? undefined : (values['api-key'] ?? process.env.TASKMARKET_API_KEY)
  const account = loadAccount(values.key)
  const client = createClient({ baseUrl, apiKey })
  if (needAuth && !apiKey) {
    if (!account) throw new UsageError(walletOnly ? 'set TASKMARKET_KEY (or --key FILE) with your wallet’s private key: this signs in with it' : 'set TASKMARKET_API_KEY (or --api-key), or TASKMARKET_KEY / --key FILE with a private key')
    const config = await client.market.config()
    await client.auth.signIn(account, { chainId: config.chain_id })
  }
  return { client, account, baseUrl, apiKey }
}

/** The market the command talks to: --server, else TASKMARKET_SERVER, else the local default. */
export function serverUrl(values: { server?: string }): string {
  return values.server ?? process.env.TASKMARKET_SERVER ?? 'http://localhost:8080'
}

/** The wallet key: --key FILE, else TASKMARKET_KEY; undefined when neither is set. */
export function loadAccount(keyFile?: string) {
  const raw = keyFile ? readFileSync(keyFile, 'utf8').trim() : process.env.TASKMARKET_KEY
  if (!raw) return undefined
  if (!/^0x[0-9a-fA-F]{64}$/.test(raw)) throw new UsageError('the private key must be 0x followed by 64 hex digits')
  return privateKeyToAccount(raw as Hex)
}
