import { parseArgs } from 'node:util'

/** A command used wrongly: exit code 2, with the command's usage when there is one. */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor(
    message: string,
    /** The usage text of the command that was misused. */
    readonly usage?: string,
  ) {
    super(message)
  }
}

/** Parses `argv` for the given options, turning parseArgs' errors into UsageErrors. */
export function args<const O extends Record<string, { type: 'string' | 'boolean'; short?: string; default?: string | boolean; multiple?: boolean }>>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

/** A positive number option, or a UsageError naming it. */
export function numberOption(value: string | undefined, name: string, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError(`--${name} is required`)
    return fallback
  }
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`--${name} must be a non-negative number, got "${value}"`)
  return n
}

/** The UsageError of `taskmarket GROUP` with a missing or unknown subcommand, carrying the group's usage. */
export function unknownSubcommand(group: string, sub: string | undefined, usage: string): UsageError {
  return new UsageError(sub ? `unknown ${group} command "${sub}"` : `give a ${group} command`, usage)
}
