/** Runs `fn` every `ms` (never overlapping); `kick()` runs it again as soon as the current pass ends. */
export function loop(ms: number, fn: () => Promise<unknown>, onError: (e: unknown) => void) {
  let timer: NodeJS.Timeout | undefined
  let current: Promise<void> | undefined
  let stopped = false
  let again = false
  const run = () => {
    timer = undefined
    if (stopped) return
    current = fn().then(() => undefined, onError).finally(() => {
      current = undefined
      if (stopped) return
      timer = setTimeout(run, again ? 0 : ms)
      again = false
    })
  }
  timer = setTimeout(run, ms)
  return {
    kick() {
      if (current) again = true
      else if (timer) {
        clearTimeout(timer)
        timer = setTimeout(run, 0)
      }
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await current
    },
  }
}
