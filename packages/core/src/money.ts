import { invalid } from './errors.ts'

/** Tokens have 18 decimals; amounts travel as decimal strings ("10.5") and live as bigint base units. */
export const TOKEN_DECIMALS = 18
const UNIT = 10n ** BigInt(TOKEN_DECIMALS)
// Any number of decimals parses, so that the limit of the context (TOKEN_DECIMALS or ESCROW_DECIMALS) is the one reported.
const DECIMAL = /^(0|[1-9]\d{0,26})(\.\d{1,64})?$/

/**
 * Parses a positive decimal token amount into base units; throws a VALIDATION error naming `field`.
 * @example parseTokens('10.5') // 10500000000000000000n
 */
export function parseTokens(value: unknown, field = 'amount', maxDecimals = TOKEN_DECIMALS): bigint {
  if (typeof value !== 'string') throw invalid(field, 'must be a decimal string such as "10.0"')
  const match = DECIMAL.exec(value.trim())
  if (!match) throw invalid(field, `must be a decimal string such as "10.0" with at most ${maxDecimals} decimals`)
  if ((match[2]?.length ?? 1) - 1 > maxDecimals) throw invalid(field, `must have at most ${maxDecimals} decimals`)
  const whole = BigInt(match[1]!)
  const fraction = (match[2] ?? '.').slice(1).padEnd(TOKEN_DECIMALS, '0')
  const amount = whole * UNIT + BigInt(fraction || '0')
  if (amount <= 0n) throw invalid(field, 'must be greater than zero')
  return amount
}

/**
 * Parses a price in tokens, which may be zero (a node that works for free, a cap of nothing); otherwise as
 * parseTokens.
 * @example parsePrice('0') // 0n
 */
export function parsePrice(value: unknown, field = 'price'): bigint {
  return typeof value === 'string' && /^\s*0+(\.0+)?\s*$/.test(value) ? 0n : parseTokens(value, field)
}

/** Escrowed amounts are whole nano-tokens (the escrow stores them in units of 1e9 base units). */
export const ESCROW_DECIMALS = 9

/**
 * Formats base units as a decimal string without trailing zeros ("10.5", "3").
 * @example formatTokens(10500000000000000000n) // '10.5'
 */
export function formatTokens(amount: bigint): string {
  const negative = amount < 0n
  const abs = negative ? -amount : amount
  const whole = abs / UNIT
  const fraction = (abs % UNIT).toString().padStart(TOKEN_DECIMALS, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`
}
