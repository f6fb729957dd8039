import { timeAgo } from './format.ts'

/**
 * A node seen this recently is online: the server marks a node seen on every heartbeat and every claim poll
 * (an idle worker polls every few seconds), and counts a task's workers online with the same 60 s.
 */
export const ONLINE_SECONDS = 60

/** Whether a node last seen at `lastSeen` (unix seconds) is online now. */
export function isOnline(lastSeen: number | null | undefined, nowMs = Date.now()): boolean {
  return !!lastSeen && nowMs / 1000 - lastSeen < ONLINE_SECONDS
}

/**
 * A node's presence in words.
 * @example presence(now / 1000 - 3, now) // 'online · seen just now'
 */
export function presence(lastSeen: number | null | undefined, nowMs = Date.now()): string {
  if (!lastSeen) return 'never seen'
  return `${isOnline(lastSeen, nowMs) ? 'online' : 'offline'} · seen ${timeAgo(lastSeen, nowMs)}`
}

/**
 * A node's presence in words, or why there is none: never seen here, or not even registered.
 * @example nodePresence({ last_seen: null, registered: true }) // 'registered, never seen here'
 */
export function nodePresence(n: { last_seen: number | null; registered: boolean }, nowMs = Date.now()): string {
  if (n.last_seen) return presence(n.last_seen, nowMs)
  return n.registered ? 'registered, never seen here' : 'not registered'
}
