/** What a task may require of a worker: comparisons on profile descriptors and on trust level. */
export type Qualification =
  | { field: string; op: 'in' | 'not_in'; value: (string | number)[] }
  | { field: string; op: 'exists' }
  | { field: string; op: 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte'; value: string | number }

export type Descriptors = Record<string, string | number | (string | number)[] | undefined>

/**
 * True when `worker` meets every qualification. A list descriptor (skills, languages) matches `in` when any
 * of its values is in the set, and `not_in` when none is. A missing descriptor fails every test but `not_in`.
 * @example qualifies({ languages: ['de', 'en'], trust_level: 2 }, [{ field: 'languages', op: 'in', value: ['de'] }]) // true
 */
export function qualifies(worker: Descriptors, requirements: readonly Qualification[]): boolean {
  return requirements.every((q) => meets(worker[q.field], q))
}

function meets(actual: Descriptors[string], q: Qualification): boolean {
  const values = actual === undefined ? [] : Array.isArray(actual) ? actual : [actual]
  switch (q.op) {
    case 'exists':
      return values.length > 0 && values.every((v) => v !== '')
    case 'in':
      return values.some((v) => q.value.includes(v))
    case 'not_in':
      return !values.some((v) => q.value.includes(v))
    default: {
      if (values.length !== 1) return false
      const [a, b] = [values[0]!, q.value]
      const cmp = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))
      return { eq: cmp === 0, ne: cmp !== 0, gt: cmp > 0, gte: cmp >= 0, lt: cmp < 0, lte: cmp <= 0 }[q.op]
    }
  }
}
