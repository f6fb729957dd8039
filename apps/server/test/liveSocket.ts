import WebSocket from 'ws'

/**
 * A WebSocket to a market's /ws from `localAddress` (another loopback address is another client to the
 * server), with every message it has received and ways to wait for the next one.
 * @example const live = openLiveSocket(url); await live.opened; live.send({ subscribe: 'tasks' }); await live.subscribed('tasks')
 */
export function openLiveSocket(serverUrl: string, localAddress = '127.0.0.1') {
  const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/ws`, { localAddress })
  const messages: any[] = []
  const waiting = new Set<() => void>()
  socket.on('message', (data) => {
    messages.push(JSON.parse(String(data)))
    for (const check of waiting) check()
  })
  socket.on('error', () => {})
  const opened = new Promise<void>((resolve) => socket.once('open', () => resolve()))
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })))
  /** The first message `match` accepts, among those received or the next ones; rejects after `timeoutMs`. */
  const next = (match: (message: any) => boolean, timeoutMs = 5000) =>
    new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(check)
        reject(new Error(`no such message within ${timeoutMs} ms; got ${JSON.stringify(messages).slice(0, 400)}`))
      }, timeoutMs)
      const check = () => {
        const found = messages.find(match)
        if (found === undefined) return
        waiting.delete(check)
        clearTimeout(timer)
        resolve(found)
      }
      waiting.add(check)
      check()
    })
  return {
    socket,
    messages,
    opened,
    closed,
    next,
    send: (message: object | string) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    subscribed: (topic: string) => next((e) => e.type === 'SUBSCRIBED' && e.topic === topic),
    async close() {
      socket.close()
      await closed
    },
  }
}
