import { describe, expect, it } from 'vitest'
import { runInWorkerThread, type RunInWorkerThreadParameters } from './runInWorkerThread.ts'

const probe = new URL('./testing/probeTask.mjs', import.meta.url)
const run = <T>(input: unknown, extra: Partial<RunInWorkerThreadParameters> = {}) =>
  runInWorkerThread<T>({ task: probe, input, signal: new AbortController().signal, timeLimitMs: 10_000, ...extra })

describe('runInWorkerThread', () => {
  it('returns the task result and passes progress on', async () => {
    const reports: [number, string | undefined][] = []
    const out = await run<{ value: unknown }>({ action: 'echo', value: { bytes: new Uint8Array([1, 2]) } }, {
      onProgress: (fraction, message) => reports.push([fraction, message]),
    })
    expect(out.value).toEqual({ bytes: new Uint8Array([1, 2]) })
    expect(reports).toEqual([[0.5, 'halfway']])
  })

  it('uses a fresh thread each time, unless asked to reuse one', async () => {
    const fresh = await Promise.all([run<{ threadId: number }>({ action: 'echo' }), run<{ threadId: number }>({ action: 'echo' })])
    expect(fresh[0].threadId).not.toBe(fresh[1].threadId)
    const first = await run<{ threadId: number }>({ action: 'echo' }, { reuse: true })
    for (let i = 0; i < 20; i++) {
      const again = await run<{ threadId: number }>({ action: 'echo' }, { reuse: true })
      expect(again.threadId).toBe(first.threadId)
    }
  })

  it('turns a coded error of the task into that ExecutorError, and any other into EXECUTION_FAILED', async () => {
    await expect(run({ action: 'throw' })).rejects.toMatchObject({ name: 'ExecutorError', code: 'INVALID_PAYLOAD', field: 'tile.x' })
    await expect(run({ action: 'fail' })).rejects.toMatchObject({ code: 'EXECUTION_FAILED', message: 'something broke' })
  })

  it('stops a thread at its time limit, and when its signal is aborted', async () => {
    await expect(run({ action: 'spin' }, { timeLimitMs: 100 })).rejects.toMatchObject({ code: 'TIME_LIMIT' })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    await expect(run({ action: 'spin' }, { signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' })
  })

  it('does not start a thread for an aborted signal', async () => {
    // a thread would fail to load this task (WORKER_CRASHED)
    const task = new URL('./testing/no-such-task.mjs', import.meta.url)
    await expect(run({}, { task })).rejects.toMatchObject({ code: 'WORKER_CRASHED' })
    await expect(run({}, { task, signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' })
  })

  it('ends a thread that exhausts its heap with MEMORY_LIMIT, and the process lives on', async () => {
    const exhausted = run({ action: 'exhaustHeap' }, { resourceLimits: { maxOldGenerationSizeMb: 16 } })
    await expect(exhausted).rejects.toMatchObject({ code: 'MEMORY_LIMIT', retryable: false })
    await expect(run<{ value: number }>({ action: 'echo', value: 7 })).resolves.toMatchObject({ value: 7 })
  })
})
