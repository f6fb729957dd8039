import { ApiError, createClient } from '@taskmarket/sdk'

/** The one API client of the web app: same origin as the page (the server serves both). */
export const client = createClient({ baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin })

export { ApiError }

/** A message a person can act on, from an API error, a viem error or anything thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) return error.message
  const e = error as { shortMessage?: string; message?: string; cause?: any; details?: string }
  // viem: a revert names the contract's custom error.
  const revert = findRevert(error)
  if (revert) return `The contract refused: ${revert}`
  if (e?.details && /user rejected|denied/i.test(e.details)) return 'You rejected the request in your wallet'
  if (e?.shortMessage) return e.shortMessage
  if (e?.message) return e.message.split('\n')[0]!
  return String(error)
}

function findRevert(error: unknown): string | undefined {
  let current = error as any
  for (let i = 0; current && i < 8; i++) {
    if (current.data?.errorName) return `${current.data.errorName}${current.data.args?.length ? `(${current.data.args.map(String).join(', ')})` : ''}`
    current = current.cause
  }
  return undefined
}

/**
 * What to show under the field an API error names: its message without the "field: " prefix.
 * @example fieldMessage(new ApiError(400, 'VALIDATION', 'payload.resolution: must match …', 'payload.resolution')) // 'Must match …'
 */
export function fieldMessage(error: ApiError): string {
  const text = error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : (error.reason ?? error.message)
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The API field an error names ("reward", "payload.resolution"), if any. */
export function errorField(error: unknown): string | undefined {
  return error instanceof ApiError ? error.field : (error as { field?: string })?.field
}
