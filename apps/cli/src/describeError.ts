import { UsageError } from './args.ts'

/** An error as the CLI shows it: one sentence, what to do about it, and the fields `--json` prints. */
export type DescribedError = {
  code: string
  message: string
  hint?: string
  status?: number
  field?: string
  reason?: string
  url?: string
  usage?: string
  exitCode: number
}

/**
 * Turns whatever a command threw into plain words: usage mistakes (exit 2), API answers, a market that
 * cannot be reached (naming the URL tried and how to change it), chain errors through explainChainError
 * (never viem's dump), and anything else by its message. The SDK and the chain package load only when
 * needed, so usage mistakes answer at once.
 */
export async function describeError(error: unknown): Promise<DescribedError> {
  if (error instanceof UsageError) return { code: 'USAGE', message: error.message, usage: error.usage, exitCode: 2 }
  const { ApiError, ConnectionError } = await import('@taskmarket/sdk')
  if (error instanceof ConnectionError) {
    return { code: 'UNREACHABLE', message: error.message, url: error.url, hint: 'is the market running? Start one with npm start, or point --server URL (or TASKMARKET_SERVER) at it', exitCode: 1 }
  }
  if (error instanceof ApiError) {
    return { code: error.code, status: error.status, message: error.message, field: error.field, reason: error.reason, exitCode: 1 }
  }
  const chain = (await import('@taskmarket/chain')).explainChainError(error)
  if (chain) return { code: chain.code, message: chain.message, exitCode: 1 }
  return { code: 'ERROR', message: error instanceof Error ? error.message : String(error), exitCode: 1 }
}
