import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'

/** What test/workerHost.ts reports when stopped: per worker, and over all of them. */
export type WorkerHostReport = {
  perWorker: { address: string; done: number; statuses: Record<string, number>; busiestSecond: number; slowestMs: number }[]
  events: Record<string, number>
  errors: string[]
}

/**
 * Starts the real worker loop (what `taskmarket worker` runs) for dev accounts `first`…`first + count - 1` in a
 * process of their own (test/workerHost.ts), as one host running a worker per key; resolves once every loop
 * runs. `stop()` stops them and returns the report; `kill()` ends the process whatever state it is in.
 */
export async function startWorkerHost({ serverUrl, first, count, concurrency }: { serverUrl: string; first: number; count: number; concurrency: number }) {
  const host = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'workerHost.ts')], {
    env: { ...process.env, TM_SERVER_URL: serverUrl, TM_ACCOUNTS: `${first}-${first + count - 1}`, TM_CONCURRENCY: String(concurrency) },
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  const lines = createInterface({ input: host.stdout! })[Symbol.asyncIterator]()
  /** The host's next line, or why none came within `ms`. */
  const line = (ms: number) =>
    Promise.race([
      lines.next().then((r) => r.value ?? `the worker host exited (${host.exitCode ?? host.signalCode})`),
      new Promise<string>((r) => setTimeout(() => r(`no line from the worker host within ${ms} ms`), ms)),
    ])
  const hello = await line(30_000)
  if (hello !== 'started') {
    host.kill()
    throw new Error(hello)
  }
  return {
    async stop(): Promise<WorkerHostReport> {
      host.stdin!.write('stop\n')
      const reported = await line(30_000)
      if (!reported.startsWith('{')) throw new Error(reported)
      return JSON.parse(reported)
    },
    kill: () => host.kill(),
  }
}
