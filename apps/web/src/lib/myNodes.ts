import { type Address, getAddress, isAddress } from 'viem'

/** Node addresses the user says they run, kept in this browser. */
export const MY_NODES_KEY = 'taskmarket.myNodes.v1'

export function loadMyNodes(storage: Storage = localStorage): Address[] {
  try {
    const list = JSON.parse(storage.getItem(MY_NODES_KEY) ?? '[]')
    return Array.isArray(list) ? list.filter((a): a is string => typeof a === 'string' && isAddress(a)).map((a) => getAddress(a)) : []
  } catch {
    return []
  }
}

/**
 * Adds an address (checksummed, no duplicates); returns the new list, or a reason it was refused.
 * @example addMyNode(' 0xabc… ') // { nodes: [...] } or { error: 'Not an Ethereum address' }
 */
export function addMyNode(input: string, storage: Storage = localStorage): { nodes: Address[]; error?: string } {
  const nodes = loadMyNodes(storage)
  const text = input.trim()
  if (!isAddress(text, { strict: false })) return { nodes, error: 'Not an Ethereum address (0x and 40 hex characters)' }
  const address = getAddress(text)
  if (nodes.includes(address)) return { nodes, error: 'Already in your nodes' }
  const next = [...nodes, address]
  storage.setItem(MY_NODES_KEY, JSON.stringify(next))
  return { nodes: next }
}

export function removeMyNode(address: string, storage: Storage = localStorage): Address[] {
  const next = loadMyNodes(storage).filter((a) => a.toLowerCase() !== address.toLowerCase())
  storage.setItem(MY_NODES_KEY, JSON.stringify(next))
  return next
}
