import { ApiError, createClient } from '@taskmarket/sdk'
// The sentences alone: the rest of @taskmarket/chain (anvil, deploy) is for Node.
import { type ChainRemedies, explainChainError } from '../../../../packages/chain/src/explainChainError.ts'

/** The one API client of the web app: same origin as the page (the server serves both). */
export const client = createClient({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin })

export { ApiError }

/** The steps the chain's sentences point at, as this app takes them. */
const webRemedies: ChainRemedies = {
  deposit: 'deposit more on the Wallet page',
  approveOperator: 'raise it on the API keys page',
  buy: 'get more on the Wallet page',
  buyWithEth: 'buy tokens with ETH instead',
  register: 'a worker registers it on its first run (see the Nodes page)',
  rpc: 'check that the market’s chain is running and that your wallet is on its network',
}

/**
 * A message a person can act on, from an API error, a viem error or anything thrown. Chain errors go through
 * the chain package's one table of sentences (the CLI's too), so no contract error name or viem dump shows.
 * @example describeError(withdrawRevert) // 'You have 366 in escrow and this needs 100000; withdraw at most 366'
 */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  const e = error as { shortMessage?: string; message?: string; details?: string }
  if (e?.details && /user rejected|denied/i.test(e.details)) return 'You rejected the request in your wallet'
  const chain = explainChainError(error, { remedies: webRemedies, nameCall: false })
  if (chain) return capitalize(chain.message)
  if (e?.shortMessage) return e.shortMessage
  if (e?.message) return e.message.split('\n')[0]!
  return String(error)
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1)

/**
 * What to show under the field an API error names: its message without the "field: " prefix.
 * @example fieldMessage(new ApiError(400, 'VALIDATION', 'payload.resolution: must match …', 'payload.resolution')) // 'Must match …'
 */
export function fieldMessage(error: ApiError): string {
  const text = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : (error.reason ?? error.message)
  return capitalize(text)
}

/** The API field an error names ("reward", "payload.resolution"), if any. */
export function errorField(error: unknown): string | undefined {
  return error instanceof ApiError ? error.field : (error as { field?: string })?.field
}
