import { ApiError } from '@taskmarket/sdk'
import { UsageError } from './args.ts'
import { dispute, disputeHelp } from './commands/dispute.ts'
import { doctor, doctorHelp } from './commands/doctor.ts'
import { start, startHelp } from './commands/start.ts'
import { task, taskHelp } from './commands/task.ts'
import { wallet, walletHelp } from './commands/wallet.ts'
import { worker, workerHelp } from './commands/worker.ts'
import { createOutput } from './output.ts'

const help = `Task Market: a marketplace for verified work paid in an ERC-20 token.

${startHelp}

${workerHelp}

${taskHelp}

${walletHelp}

${disputeHelp}

${doctorHelp}

Every command takes --json for machine-readable output.`

/** Runs one `taskmarket` command; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  const out = createOutput({ json: rest.includes('--json') })
  try {
    switch (command) {
      case 'start':
        return await start(rest, out)
      case 'worker':
        return await worker(rest, out)
      case 'task':
        return await task(rest, out)
      case 'wallet':
        return await wallet(rest, out)
      case 'dispute':
        return await dispute(rest, out)
      case 'doctor':
        return await doctor(rest, out)
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${help}\n`)
        return 0
      default:
        throw new UsageError(`unknown command "${command}"`)
    }
  } catch (error) {
    out.done()
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n(taskmarket help shows every command)\n`)
      return 2
    }
    if (error instanceof ApiError) {
      process.stderr.write(`error ${error.status} ${error.code}: ${error.message}\n`)
      if (out.json) process.stdout.write(`${JSON.stringify({ error: { status: error.status, code: error.code, message: error.message, field: error.field } })}\n`)
      return 1
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
    return 1
  }
}
