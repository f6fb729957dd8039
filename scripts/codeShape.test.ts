import { readFileSync, readdirSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
/** Where the project's own code lives, and what is not ours or is generated. */
const FOLDERS = ['apps', 'packages', 'contracts', 'bench', 'scripts']
const SKIP = new Set(['node_modules', 'dist', 'generated', 'artifacts', '.vite'])
const SOURCE = /\.(ts|tsx|mjs|sol)$/
/** STYLE's limit: a file longer than this does more than one thing. */
const MAX_LINES = 400

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return []
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sources(path) : SOURCE.test(entry.name) ? [path] : []
  })
}

describe('the code’s shape', () => {
  it(`has no source file over ${MAX_LINES} lines`, () => {
    const files = FOLDERS.flatMap((folder) => sources(join(root, folder)))
    expect(files.length).toBeGreaterThan(300)
    const long = files.map((f) => ({ file: relative(root, f), lines: readFileSync(f, 'utf8').split('\n').length })).filter((f) => f.lines > MAX_LINES)
    expect(long).toEqual([])
  })
})
