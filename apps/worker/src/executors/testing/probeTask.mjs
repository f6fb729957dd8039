// A task for runInWorkerThread's tests: what it does is chosen by its input.
import { threadId } from 'node:worker_threads'

/** @param {{ action: 'echo' | 'throw' | 'fail' | 'exhaustHeap' | 'spin', value?: unknown }} input */
export default async function probeTask(input, host) {
  if (input.action === 'echo') {
    host.progress(0.5, 'halfway')
    return { value: input.value, threadId }
  }
  if (input.action === 'throw') throw Object.assign(new Error('bad tile'), { code: 'INVALID_PAYLOAD', field: 'tile.x' })
  if (input.action === 'fail') throw new TypeError('something broke')
  if (input.action === 'exhaustHeap') {
    const hoard = []
    for (;;) hoard.push({ index: hoard.length, text: `entry ${hoard.length}` })
  }
  if (input.action === 'spin') for (;;);
  throw new Error(`unknown action ${input.action}`)
}
