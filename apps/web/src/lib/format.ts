import { TOKEN_DECIMALS, trustLevelName } from '@taskmarket/core'

/** The token's symbol (TaskToken: "Task Market Token", TASK). */
export const SYMBOL = 'TASK'

const UNIT = 10n ** BigInt(TOKEN_DECIMALS)

/** Parses a decimal token string ("12.5", "-3") into base units; malformed input counts as zero. */
export function toUnits(value: string | bigint | number | null | undefined): bigint {
  if (typeof value === 'bigint') return value
  if (value === null || value === undefined) return 0n
  const s = String(value).trim()
  const m = /^(-)?(\d+)(?:\.(\d+))?$/.exec(s)
  if (!m) return 0n
  const fraction = (m[3] ?? '').slice(0, TOKEN_DECIMALS).padEnd(TOKEN_DECIMALS, '0')
  const units = BigInt(m[2]!) * UNIT + BigInt(fraction || '0')
  return m[1] ? -units : units
}

/**
 * Formats a token amount for people: thousands separators, at most `decimals` decimals, no trailing zeros.
 * @example formatAmount('1234.56789') // '1,234.5679'
 */
export function formatAmount(value: string | bigint | number | null | undefined, decimals = 4): string {
  const units = toUnits(value)
  const negative = units < 0n
  const abs = negative ? -units : units
  const scale = 10n ** BigInt(TOKEN_DECIMALS - decimals)
  // Round half up at the shown precision.
  const rounded = decimals >= TOKEN_DECIMALS ? abs : ((abs + scale / 2n) / scale) * scale
  const whole = rounded / UNIT
  let fraction = (rounded % UNIT).toString().padStart(TOKEN_DECIMALS, '0').slice(0, decimals).replace(/0+$/, '')
  if (!fraction && abs !== 0n && whole === 0n) return `${negative ? '-' : ''}<${decimals === 0 ? '1' : `0.${'0'.repeat(decimals - 1)}1`}`
  const grouped = whole.toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return `${negative ? '-' : ''}${grouped}${fraction ? `.${fraction}` : ''}`
}

/** Token units to a plain number, for charts only (never for money arithmetic). */
export function unitsToNumber(units: bigint): number {
  return Number(units / 10n ** 9n) / 1e9
}

/** Shortens an address or hash for display: 0x1234…abcd. */
export function shortHex(value: string | null | undefined, head = 6, tail = 4): string {
  if (!value) return '—'
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`
}

/**
 * Relative time from unix seconds: "just now", "5 min ago", "in 3 h".
 * @example timeAgo(now / 1000 - 90, now) // '1 min ago'
 */
export function timeAgo(unixSeconds: number | null | undefined, nowMs = Date.now()): string {
  if (!unixSeconds) return '—'
  const diff = Math.round(nowMs / 1000 - unixSeconds)
  const future = diff < 0
  const s = Math.abs(diff)
  let text: string
  if (s < 45) return future ? 'in a moment' : 'just now'
  if (s < 3600) text = `${Math.max(1, Math.round(s / 60))} min`
  else if (s < 86_400) text = `${Math.round(s / 3600)} h`
  else text = `${Math.round(s / 86_400)} d`
  return future ? `in ${text}` : `${text} ago`
}

/** A date and time in the reader's locale, from unix seconds. */
export function formatDateTime(unixSeconds: number | null | undefined): string {
  if (!unixSeconds) return '—'
  return new Date(unixSeconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })
}

/** Bytes as B / KB / MB / GB with one decimal. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = bytes / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}

/** "in_progress" → "In progress". */
export function humanize(value: string): string {
  const s = value.replace(/_/g, ' ')
  return s.charAt(0).toUpperCase() + s.slice(1)
}

/** A fraction 0..1 as a whole percentage. */
export function percent(fraction: number): string {
  if (!Number.isFinite(fraction)) return '0%'
  return `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}%`
}

/** The name of a trust level (core's TRUST_LEVELS, seed 003). */
export const trustName = trustLevelName

/**
 * Time left until a unix-seconds moment, for a countdown: "4:09", "1 h 05 min", "2 d 3 h"; "0:00" once past.
 * @example countdown(now / 1000 + 249, now) // '4:09'
 */
export function countdown(unixSeconds: number, nowMs = Date.now()): string {
  const s = Math.max(0, Math.floor(unixSeconds - nowMs / 1000))
  if (s < 3600) return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`
}
