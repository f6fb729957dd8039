/**
 * The one error base of Task Market: a stable `code`, a message a person can act on, the `field` it is
 * about (when it is about input) and the cause. The HTTP layer maps codes to statuses in one place.
 */
export class TaskMarketError extends Error {
  override name = 'TaskMarketError'
  readonly code: ErrorCode
  readonly field?: string
  readonly details?: Record<string, unknown>

  constructor(
    code: ErrorCode,
    message: string,
    options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.code = code
    this.field = options.field
    this.details = options.details
  }
}

/** Every error code and the HTTP status it maps to. */
export const errorStatus = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_REQUIRED: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  GONE: 410,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  CHAIN_UNAVAILABLE: 503,
  INTERNAL: 500,
} as const

export type ErrorCode = keyof typeof errorStatus

/** Shorthand for a 400 naming `field`. */
export function invalid(field: string, reason: string): TaskMarketError {
  return new TaskMarketError('VALIDATION', `${field}: ${reason}`, { field, details: { reason } })
}
