import { EventEmitter } from 'node:events'

/** Live events pushed over WebSocket. Names follow seed 004 plus job offers for workers. */
export type MarketEvent =
  | { type: 'TASK_SUBMIT'; taskId: string; status: string }
  | { type: 'TASK_PROGRESS'; taskId: string; status: string; jobsDone: number; jobsTotal: number; message?: string }
  | { type: 'TASK_RESPONSE'; taskId: string }
  | { type: 'TASK_VALIDATE'; taskId: string; jobId: string; digest: string; valid: string[]; invalid: string[] }
  | { type: 'TASK_REWARD'; taskId: string; status: string; txHash: string | null; batchId: string | null }
  | { type: 'JOB_OFFER'; kinds: string[]; count: number }
  | { type: 'ASSIGNMENT'; taskId: string; assignmentId: string; status: string }
  | { type: 'POLL_VOTE'; taskId: string; votes: number }

/** In-process publish/subscribe by topic (`task:<id>`, `tasks`, `workers`). */
export function createEventBus() {
  const emitter = new EventEmitter()
  emitter.setMaxListeners(0)
  return {
    publish(topic: string, event: MarketEvent) {
      emitter.emit(topic, event)
    },
    subscribe(topic: string, listener: (event: MarketEvent) => void): () => void {
      emitter.on(topic, listener)
      return () => emitter.off(topic, listener)
    },
  }
}

export type EventBus = ReturnType<typeof createEventBus>
