import { sha256, toBytes } from 'viem'

/**
 * The text a worker node signs for one request; the server rebuilds it from what it received.
 * Non-JSON bodies (blob uploads) are covered as the empty string: blobs are content-addressed anyway.
 */
export function nodeSigningText(method: string, url: string, timestamp: string, body: string | Uint8Array): string {
  return `taskmarket-node\n${method.toUpperCase()}\n${url}\n${timestamp}\n${sha256(typeof body === 'string' ? toBytes(body) : body).slice(2)}`
}
