/** An error answered by the Task Market API: status, stable code, and the field and reason when it is about input. */
export class ApiError extends Error {
  override name = 'ApiError'
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly reason?: string,
  ) {
    super(message)
  }
}

/** The market could not be reached at all (refused, unknown host, reset): no API answer to show. */
export class ConnectionError extends Error {
  override name = 'ConnectionError'
  constructor(
    /** The base URL the client talks to. */
    readonly url: string,
    /** The system's code, e.g. ECONNREFUSED or ENOTFOUND, when it gave one. */
    readonly code: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`could not reach the market at ${url}${code ? ` (${code})` : ''}`, options)
  }
}
