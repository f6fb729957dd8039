import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const json = (file: string) => JSON.parse(readFileSync(`${root}${file}`, 'utf8'))

type Version = [number, number, number]
const parse = (v: string): Version => {
  const [a = 0, b = 0, c = 0] = v.replace(/^v/, '').split('.').map((p) => (p === 'x' || p === '*' ? 0 : Number(p)))
  return [a, b, c]
}
const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]

/**
 * Whether `version` satisfies an npm `engines` range of the forms packages use: `||` alternatives of
 * space-separated comparators (`>=X`, `>X`, `<X`, `^X`, `~X`, a bare `X` or `X.Y`, `X.x`).
 */
function satisfies(version: string, range: string): boolean {
  const v = parse(version)
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const [, op = '', bound = ''] = /^([<>=^~]*)(.*)$/.exec(comparator)!
        const b = parse(bound)
        const parts = bound.replace(/^v/, '').split('.').filter((p) => p !== 'x' && p !== '*').length
        if (op === '>=') return compare(v, b) >= 0
        if (op === '>') return compare(v, b) > 0
        if (op === '<') return compare(v, b) < 0
        if (op === '<=') return compare(v, b) <= 0
        if (op === '^') return v[0] === b[0] && compare(v, b) >= 0
        if (op === '~') return v[0] === b[0] && v[1] === b[1] && compare(v, b) >= 0
        return v.slice(0, parts).every((n, i) => n === b[i])
      }),
  )
}

describe('the supported Node version', () => {
  it('satisfies every package npm ci installs, so it prints no engine warning', () => {
    const minimum = /^>=\s*(\d+\.\d+(\.\d+)?)$/.exec(json('package.json').engines.node)![1]!
    expect(satisfies('20.19.0', '^20.19.0 || >=22.12.0')).toBe(true)
    expect(satisfies('20.19.0', '>=22')).toBe(false)
    expect(satisfies('20.19.0', '18 || 20 || >=22')).toBe(true)
    expect(satisfies('20.19.0', '>=16 || 14 >=14.17')).toBe(true)
    const lock = json('package-lock.json') as { packages: Record<string, { version?: string; engines?: { node?: string } }> }
    const refused = Object.entries(lock.packages)
      .filter(([, p]) => p.engines?.node && !satisfies(minimum, p.engines.node))
      .map(([path, p]) => `${path}@${p.version} wants node ${p.engines!.node}`)
    expect(refused).toEqual([])
  })
})
