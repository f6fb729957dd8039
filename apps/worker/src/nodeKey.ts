import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'

/**
 * Loads the node key from `file`, creating it (mode 0600) on first run. The key is the node's identity:
 * it signs every request and result, receives payouts and holds the stake.
 */
export function loadOrCreateNodeKey(file: string) {
  let key: Hex
  let created = false
  if (existsSync(file)) {
    key = readFileSync(file, 'utf8').trim() as Hex
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error(`${file} does not hold a private key (0x + 64 hex digits)`)
  } else {
    key = generatePrivateKey()
    mkdirSync(dirname(file), { recursive: true })
    writeFileSync(file, `${key}\n`, { mode: 0o600 })
    created = true
  }
  return { account: privateKeyToAccount(key), created, file }
}
