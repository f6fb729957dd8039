// A worker host for tests: the real worker loop (what `taskmarket worker` runs) for many node keys in a process
// of its own, as one machine running a worker per key would, so their signing and hashing do not share the
// server's event loop. Started by a test with TM_SERVER_URL, TM_ACCOUNTS ("100-163": dev account indexes) and
// TM_CONCURRENCY; prints "started" when every loop runs; on "stop" (a line on stdin) stops them all and prints
// one JSON line: each worker's jobs, its answers by status, its busiest second and slowest answer, and the events by type.
import { createInterface } from 'node:readline'
import { devAccount } from '@taskmarket/chain'
import { type WorkerEvent, createWorker } from '@taskmarket/worker'

const [first, last] = process.env.TM_ACCOUNTS!.split('-').map(Number) as [number, number]
const accounts = Array.from({ length: last - first + 1 }, (_, i) => devAccount(first + i))
const concurrency = Number(process.env.TM_CONCURRENCY ?? 4)

// Every answer a worker gets, by the node key that signed the request: the client's view of the rate limit.
type Seen = { statuses: Record<string, number>; perSecond: Map<number, number>; slowestMs: number }
const seen = new Map<string, Seen>(accounts.map((a) => [a.address.toLowerCase(), { statuses: {}, perSecond: new Map(), slowestMs: 0 }]))
const realFetch = globalThis.fetch.bind(globalThis)
globalThis.fetch = async (input, init) => {
  const s = seen.get(new Headers(init?.headers).get('x-node-address')?.toLowerCase() ?? '')
  const sent = Date.now()
  const response = await realFetch(input, init)
  if (s) {
    const now = Date.now()
    s.statuses[response.status] = (s.statuses[response.status] ?? 0) + 1
    s.perSecond.set(Math.floor(now / 1000), (s.perSecond.get(Math.floor(now / 1000)) ?? 0) + 1)
    s.slowestMs = Math.max(s.slowestMs, now - sent)
  }
  return response
}

const events: Record<string, number> = {}
const errors: string[] = []
const onEvent = (e: WorkerEvent) => {
  events[e.type] = (events[e.type] ?? 0) + 1
  if ((e.type === 'error' || e.type === 'job_failed') && errors.length < 20) errors.push(e.error)
}
const workers = accounts.map((account) => createWorker({ serverUrl: process.env.TM_SERVER_URL!, account, concurrency, onEvent }))
const loops = workers.map((w) => w.start())
console.log('started')

const commands = createInterface({ input: process.stdin })
// The test that started this host is gone (its end of stdin closed) or forgot it: nothing is left to report to.
commands.once('close', () => process.exit(1))
setTimeout(() => process.exit(1), 5 * 60_000).unref()
commands.once('line', async () => {
  commands.removeAllListeners('close')
  await Promise.all(workers.map((w) => w.stop({ graceMs: 1000 })))
  await Promise.all(loops)
  const perWorker = accounts.map((a, i) => {
    const s = seen.get(a.address.toLowerCase())!
    return { address: a.address, done: workers[i]!.stats.done, statuses: s.statuses, busiestSecond: Math.max(0, ...s.perSecond.values()), slowestMs: s.slowestMs }
  })
  console.log(JSON.stringify({ perWorker, events, errors }))
  process.exit(0)
})
