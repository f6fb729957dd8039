import { readFileSync } from 'node:fs'
import { UsageError } from './args.ts'
import { describeError } from './describeError.ts'
import { type Output, createOutput } from './output.ts'

type Command = { run: (argv: string[], out: Output) => Promise<number>; help: string }

/** Each command, loaded only when used: `taskmarket task …` does not load the server or the worker. */
const commands: Record<string, () => Promise<Command>> = {
  start: async () => { const m = await import('./commands/start.ts'); return { run: m.start, help: m.startHelp } },
  worker: async () => { const m = await import('./commands/worker.ts'); return { run: m.worker, help: m.workerHelp } },
  task: async () => { const m = await import('./commands/task.ts'); return { run: m.task, help: m.taskHelp } },
  blob: async () => { const m = await import('./commands/blob.ts'); return { run: m.blob, help: m.blobHelp } },
  wallet: async () => { const m = await import('./commands/wallet.ts'); return { run: m.wallet, help: m.walletHelp } },
  'api-key': async () => { const m = await import('./commands/apiKey.ts'); return { run: m.apiKey, help: m.apiKeyHelp } },
  dispute: async () => { const m = await import('./commands/dispute.ts'); return { run: m.dispute, help: m.disputeHelp } },
  doctor: async () => { const m = await import('./commands/doctor.ts'); return { run: m.doctor, help: m.doctorHelp } },
  proofs: async () => { const m = await import('./commands/proofs.ts'); return { run: m.proofs, help: m.proofsHelp } },
}

const title = 'Task Market: a marketplace for verified work paid in an ERC-20 token.'
const footer = `Every command takes --json for machine-readable output and --help for its usage; taskmarket --version
prints the version. --server URL (or TASKMARKET_SERVER, default http://localhost:8080) picks the market.`

/** The CLI's version, from its package.json. */
export const version: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version

/** Runs one `taskmarket` command; returns the exit code (0 done, 1 failed, 2 used wrongly). */
export async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json')
  // --json may come anywhere; commands read it from `out`.
  const [command, ...rest] = argv.filter((a) => a !== '--json')
  const out = createOutput({ json })
  try {
    if (command === '--version' || command === '-v' || command === 'version') {
      out.result({ version }, `taskmarket ${version}`)
      return 0
    }
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      const topic = rest.find((a) => !a.startsWith('-'))
      return await showHelp(topic, out)
    }
    const load = commands[command]
    if (!load) throw new UsageError(`unknown command "${command}"`)
    const { run, help } = await load()
    if (rest.includes('--help') || rest.includes('-h')) {
      out.result({ command, usage: help }, help)
      return 0
    }
    return await run(rest, out)
  } catch (error) {
    out.done()
    const described = await describeError(error)
    const { exitCode, usage, hint, ...fields } = described
    const heading = described.status ? `error ${described.status} ${described.code}: ${described.message}` : `error: ${described.message}`
    const next = usage ? `\n\n${usage}` : exitCode === 2 ? '\n(taskmarket help shows every command)' : hint ? `\n${hint}` : ''
    process.stderr.write(`${heading}${next}\n`)
    if (json) process.stdout.write(`${JSON.stringify({ error: { ...fields, ...(hint ? { hint } : {}), ...(usage ? { usage } : {}) } })}\n`)
    return exitCode
  }
}

/** `taskmarket help [COMMAND]`: every command's usage, or one's; `--json` gives them by name. */
async function showHelp(topic: string | undefined, out: Output): Promise<number> {
  if (topic) {
    const load = commands[topic]
    if (!load) throw new UsageError(`unknown command "${topic}"`)
    const { help } = await load()
    out.result({ command: topic, usage: help }, help)
    return 0
  }
  const all = await Promise.all(Object.entries(commands).map(async ([name, load]) => ({ command: name, usage: (await load()).help })))
  out.result({ version, commands: all, notes: footer }, [title, ...all.map((c) => c.usage), footer].join('\n\n'))
  return 0
}
