/** Base error of the chain package: a code, a message a person can act on, and the cause. */
export class ChainError extends Error {
  override name = 'ChainError'
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}
