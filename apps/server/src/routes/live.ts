import type { TypedApp } from '../app.ts'
import type { Common } from '../context.ts'
import { loadTask } from './taskViews.ts'

/** WebSocket connections one client (IP address) may hold open: 64 workers on one host hold one each, with room for browsers. */
export const MAX_SOCKETS_PER_CLIENT = 128
/** Topics one socket may subscribe to. */
export const MAX_SUBSCRIPTIONS_PER_SOCKET = 64
const TOPIC = /^(tasks|workers|task:[0-9a-f-]{36})$/

/**
 * WebSocket at /ws: send `{"subscribe": "task:<id>"}` (or "tasks", "workers") to receive that topic's
 * events (TASK_SUBMIT, TASK_PROGRESS, TASK_RESPONSE, TASK_VALIDATE, TASK_REWARD, JOB_OFFER). A task's topic
 * is open to whoever may see the task (GET /tasks/{id}); the public "tasks" topic carries unrestricted tasks only.
 */
export async function liveRoutes(app: TypedApp, common: Common) {
  const sockets = new Map<string, number>()

  app.get('/ws', { websocket: true, schema: { hide: true } }, (socket, request) => {
    const client = request.ip
    const open = sockets.get(client) ?? 0
    const send = (message: object) => socket.send(JSON.stringify(message))
    if (open >= MAX_SOCKETS_PER_CLIENT) {
      send({ type: 'ERROR', code: 'RATE_LIMITED', message: `too many connections: at most ${MAX_SOCKETS_PER_CLIENT} per client` })
      socket.close(1008, 'too many connections')
      return
    }
    sockets.set(client, open + 1)
    const viewer = request.auth?.address
    const subscriptions = new Map<string, () => void>()
    // Topics whose visibility check is still running hold their slot, so a burst of subscribes cannot pass the cap together.
    const pending = new Set<string>()

    const canSee = async (topic: string) => !topic.startsWith('task:') || Boolean(await loadTask(common.db, topic.slice(5), { viewer, eligibility: common.eligibility }))
    const subscribe = async (topic: string) => {
      if (!TOPIC.test(topic)) return send({ type: 'ERROR', code: 'VALIDATION', message: `subscribe: unknown topic "${topic.slice(0, 80)}"; use tasks, workers or task:<id>` })
      if (subscriptions.has(topic) || pending.has(topic)) return
      if (subscriptions.size + pending.size >= MAX_SUBSCRIPTIONS_PER_SOCKET) {
        return send({ type: 'ERROR', code: 'RATE_LIMITED', topic, message: `subscribe: at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} topics per connection; unsubscribe one first` })
      }
      pending.add(topic)
      const visible = await canSee(topic).catch((error) => {
        pending.delete(topic)
        throw error
      })
      // An unsubscribe while the check ran took the topic out of `pending`: it is no longer wanted.
      if (!pending.delete(topic) || socket.readyState !== socket.OPEN) return
      if (!visible) return send({ type: 'ERROR', code: 'NOT_FOUND', topic, message: `subscribe: no such task ${topic.slice(5)}` })
      subscriptions.set(topic, common.events.subscribe(topic, (event) => send(event)))
      send({ type: 'SUBSCRIBED', topic })
    }

    socket.on('message', (data: Buffer) => {
      let message: { subscribe?: unknown; unsubscribe?: unknown }
      try {
        message = JSON.parse(data.toString())
      } catch {
        return send({ type: 'ERROR', code: 'VALIDATION', message: 'messages must be JSON' })
      }
      if (typeof message?.subscribe === 'string') {
        subscribe(message.subscribe).catch(() => send({ type: 'ERROR', code: 'INTERNAL', message: 'subscribe failed; try again' }))
      } else if (typeof message?.unsubscribe === 'string') {
        subscriptions.get(message.unsubscribe)?.()
        subscriptions.delete(message.unsubscribe)
        pending.delete(message.unsubscribe)
      }
    })
    socket.on('close', () => {
      for (const off of subscriptions.values()) off()
      subscriptions.clear()
      const left = (sockets.get(client) ?? 1) - 1
      if (left > 0) sockets.set(client, left)
      else sockets.delete(client)
    })
  })
}
