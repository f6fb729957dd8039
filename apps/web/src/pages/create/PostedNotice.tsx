import { useRef } from 'react'
import { useRevealOnMount } from '../../state/useRevealOnMount.ts'

/**
 * What the poster reads right after posting when the market has something to say (e.g. no online worker
 * runs this kind): the warnings, then the way to the task. Scrolled into view, since on a phone it replaces
 * the button at the bottom of a long form.
 */
export function PostedNotice({ taskId, warnings, onOpen, onAgain }: { taskId: string; warnings: string[]; onOpen: () => void; onAgain: () => void }) {
  const box = useRef<HTMLDivElement>(null)
  useRevealOnMount(box, 'center')
  return (
    <div ref={box} className="notice notice-warn posted" role="status" data-testid="posted">
      <strong className="notice-title">Posted: task {taskId.slice(0, 8)}</strong>
      <p>Before it runs, note:</p>
      <ul className="posted-warnings">
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
      <button type="button" className="btn btn-primary btn-block" onClick={onOpen}>
        Open the task
      </button>
      <button type="button" className="btn btn-ghost btn-block btn-small" onClick={onAgain}>
        Post another task
      </button>
    </div>
  )
}
