import { mnemonicToAccount } from 'viem/accounts'

/** anvil's well-known development mnemonic: its accounts are funded with 10,000 ETH on a fresh chain. */
export const DEV_MNEMONIC = 'test test test test test test test test test test test junk'

/** The i-th development account (0 is the deployer/operator of a local deployment). */
export function devAccount(index: number) {
  return mnemonicToAccount(DEV_MNEMONIC, { addressIndex: index })
}

/** The i-th development account's private key, for tools that need the raw key. */
export function devPrivateKey(index: number): `0x${string}` {
  const key = devAccount(index).getHdKey().privateKey
  if (!key) throw new Error('no private key')
  return `0x${Buffer.from(key).toString('hex')}`
}
