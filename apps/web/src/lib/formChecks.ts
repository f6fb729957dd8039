import { TaskMarketError, assertSchema } from '@taskmarket/core'

/** Form errors by the field key the API uses too ("reward", "payload.place.latitude"). */
export type FormErrors = Record<string, string>
type Range = { min?: number; max?: number }

/**
 * Checks on typed strings that record a message under `key` in `errors` and return the parsed value
 * (undefined when it failed), so a form reports every problem at once.
 * @example const c = formChecks(errors); const n = c.int('payload.iterations', '12', { min: 1 }, 'Iterations')
 */
export function formChecks(errors: FormErrors) {
  const int = (key: string, raw: string, { min, max }: Range, label = 'This'): number | undefined => {
    const text = raw.trim()
    if (text === '') {
      errors[key] = `${label} is required`
      return undefined
    }
    const n = Number(text)
    if (!Number.isInteger(n)) errors[key] = `${label} must be a whole number`
    else if (min !== undefined && n < min) errors[key] = `${label} must be at least ${min.toLocaleString()}`
    else if (max !== undefined && n > max) errors[key] = `${label} must be at most ${max.toLocaleString()}`
    else return n
    return undefined
  }
  const number = (key: string, raw: string, { min, max }: Range, label = 'This'): number | undefined => {
    const text = raw.trim()
    const n = Number(text)
    if (text === '') errors[key] = `${label} is required`
    else if (!Number.isFinite(n)) errors[key] = `${label} must be a number`
    else if ((min !== undefined && n < min) || (max !== undefined && n > max)) errors[key] = `${label} must be from ${min} to ${max}`
    else return n
    return undefined
  }
  const required = (key: string, raw: string, label: string, maxLength?: number) => {
    const text = raw.trim()
    if (!text) errors[key] = `${label} is required`
    else if (maxLength && text.length > maxLength) errors[key] = `${label} must be at most ${maxLength.toLocaleString()} characters`
    return text
  }
  const optional = (key: string, raw: string, label: string, maxLength: number) => {
    const text = raw.trim()
    if (text.length > maxLength) errors[key] = `${label} must be at most ${maxLength.toLocaleString()} characters`
    return text || undefined
  }
  /** The shared wire schema has the last word: its first complaint lands under the field it names. */
  const schema = (s: Parameters<typeof assertSchema>[0], value: unknown, prefix: string) => {
    try {
      assertSchema(s, value, prefix)
    } catch (e) {
      if (e instanceof TaskMarketError && e.field) errors[e.field] = capitalize(String(e.details?.reason ?? e.message))
      else throw e
    }
  }
  return { int, number, required, optional, schema }
}

function capitalize(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1)
}
