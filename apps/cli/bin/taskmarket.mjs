#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, resolved from this package so it works from any folder.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../src/main.ts')
process.exitCode = await main(process.argv.slice(2))
