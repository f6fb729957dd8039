import { useState } from 'react'
import { describeError } from '../lib/api.ts'

/**
 * A button's action: `run` marks it busy, clears the last failure, and keeps the error's description if
 * the action throws, so the page can show it next to the button.
 */
export function useAction() {
  const [busy, setBusy] = useState(false)
  const [failure, setFailure] = useState<string>()
  async function run(action: () => Promise<unknown>) {
    setBusy(true)
    setFailure(undefined)
    try {
      await action()
    } catch (e) {
      setFailure(describeError(e))
    } finally {
      setBusy(false)
    }
  }
  return { busy, failure, run }
}
