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
