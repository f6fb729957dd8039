import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createServer } from 'node:net'
import { Queue, Worker } from 'bullmq'

export type BullmqBaseline =
  | { skipped: string }
  | {
      jobs: number
      concurrency: number
      /** Jobs per second from the worker's start to the last job completed. */
      jobsPerSecond: number
      elapsedMs: number
      /** addBulk of all the jobs, for reference (not part of jobsPerSecond). */
      addPerSecond: number
      redisVersion: string
    }

/**
 * The baseline of DESIGN.md section 9: BullMQ on Redis, `concurrency` 64, on this machine. Starts its own
 * `redis-server` on a free loopback port without persistence (`--save '' --appendonly no`), adds `jobs`
 * jobs with addBulk, then one Worker with that concurrency completes them (each returns a sha256 digest;
 * completed jobs are kept, as BullMQ does by default). Skips when redis-server is not installed.
 * @example const r = await measureBullmqBaseline({ jobs: 20_000 }); if (!('skipped' in r)) r.jobsPerSecond
 */
export async function measureBullmqBaseline({ jobs = 20_000, concurrency = 64 }: { jobs?: number; concurrency?: number } = {}): Promise<BullmqBaseline> {
  const version = spawnSync('redis-server', ['--version'], { encoding: 'utf8' })
  if (version.error || version.status !== 0) return { skipped: 'install redis-server' }
  const port = await freePort()
  const redis = await startRedis(port)
  const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null }
  const queue = new Queue('bench', { connection })
  try {
    await queue.waitUntilReady()
    let t = performance.now()
    for (let i = 0; i < jobs; i += 1000) {
      await queue.addBulk(Array.from({ length: Math.min(1000, jobs - i) }, (_, j) => ({ name: 'job', data: { i: i + j } })))
    }
    const addMs = performance.now() - t

    let completed = 0
    let resolveDone!: () => void
    const done = new Promise<void>((r) => (resolveDone = r))
    t = performance.now()
    const worker = new Worker('bench', async (job) => createHash('sha256').update(String(job.data.i)).digest('hex'), { connection, concurrency })
    worker.on('completed', () => {
      if (++completed === jobs) resolveDone()
    })
    worker.on('failed', (_job, error) => console.error(`bullmq job failed: ${error.message}`))
    await done
    const elapsedMs = performance.now() - t
    await worker.close()
    const counts = await queue.getJobCounts('completed')
    if (counts.completed !== jobs) throw new Error(`BullMQ reports ${counts.completed} of ${jobs} jobs completed`)
    return { jobs, concurrency, jobsPerSecond: (jobs / elapsedMs) * 1000, elapsedMs, addPerSecond: (jobs / addMs) * 1000, redisVersion: /v=(\S+)/.exec(version.stdout)?.[1] ?? '?' }
  } finally {
    await queue.close()
    await stop(redis)
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] })
  await new Promise<void>((resolve, reject) => {
    let log = ''
    const timer = setTimeout(() => reject(new Error(`redis-server did not start in 10 s:\n${log}`)), 10_000)
    redis.stdout!.on('data', (chunk: Buffer) => {
      log += chunk
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer)
        resolve()
      }
    })
    redis.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`redis-server exited with ${code}:\n${log}`))
    })
  })
  redis.stdout!.resume()
  return redis
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}
