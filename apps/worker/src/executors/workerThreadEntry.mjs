// The first module of every worker thread that runInWorkerThread.ts starts. It imports the task module
// named in workerData, says `ready`, then runs the task's default export `(input, { progress }) => result`
// for each `run` message and posts the outcome. Plain JavaScript with no dependency, so that a thread
// starts in a few milliseconds and the WebAssembly sandbox holds nothing but this file and its own; a
// TypeScript task (`.ts`) is loaded through tsx, which costs a few hundred milliseconds per thread.
import { parentPort, workerData } from 'node:worker_threads'

const task = await importTask(workerData.taskUrl)
parentPort.on('message', async (message) => {
  if (message?.type !== 'run') return
  try {
    const value = await task.default(message.input, {
      progress: (fraction, text) => parentPort.postMessage({ type: 'progress', fraction, message: text }),
    })
    postResult(value)
  } catch (error) {
    parentPort.postMessage({ type: 'error', error: describeError(error) })
  }
})
parentPort.postMessage({ type: 'ready' })

async function importTask(url) {
  try {
    return await import(url)
  } catch (error) {
    if (error?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error
    const { register } = await import('tsx/esm/api')
    register()
    return import(`${url}?typescript`) // a new URL: the failed import of `url` stays cached
  }
}

// Byte results move to the main thread without a copy when their buffer is theirs alone.
function postResult(value) {
  const bytes = value instanceof Uint8Array ? value : value?.output instanceof Uint8Array ? value.output : undefined
  const owned = bytes && bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  try {
    parentPort.postMessage({ type: 'result', value }, owned ? [bytes.buffer] : [])
  } catch {
    parentPort.postMessage({ type: 'result', value }) // a buffer that cannot be detached (wasm memory) is copied
  }
}

function describeError(error) {
  if (!(error instanceof Error)) return { message: String(error) }
  const { name, message, stack, code, field, retryable } = error
  return { name, message, stack, code: typeof code === 'string' ? code : undefined, field, retryable }
}
