/** Terminal output: a progress bar on a TTY, plain lines otherwise; `--json` prints machine-readable JSON. */
export function createOutput({ json = false, stream = process.stderr } = {}) {
  const tty = Boolean((stream as NodeJS.WriteStream).isTTY) && !json
  let barShown = false
  return {
    json,
    tty,
    /** Prints the command's result: JSON with --json, else the text. */
    result(value: unknown, text?: string) {
      process.stdout.write(json || text === undefined ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`)
    },
    info(text: string) {
      if (barShown) stream.write('\n')
      barShown = false
      if (!json) stream.write(`${text}\n`)
    },
    /** Draws `[#####.....] 50% label` in place on a TTY; logs a line per change otherwise. */
    progress(fraction: number, label: string) {
      const pct = Math.round(Math.max(0, Math.min(1, fraction)) * 100)
      if (tty) {
        const width = 30
        const filled = Math.round((pct / 100) * width)
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${label}\u001b[K`)
        barShown = true
      } else if (!json) stream.write(`${pct}% ${label}\n`)
    },
    done() {
      if (barShown) stream.write('\n')
      barShown = false
    },
  }
}

export type Output = ReturnType<typeof createOutput>
