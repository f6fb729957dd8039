import { type Address, type Hex, getAddress, hexToBigInt, isHex, numberToHex } from 'viem'

const LOCAL_BITS = 96n
const LOCAL_MASK = (1n << LOCAL_BITS) - 1n

/**
 * The on-chain id of a task: the poster's address in the high 160 bits, a poster-local number in the low 96.
 * @example chainTaskId('0xf39F…', 7n)
 */
export function chainTaskId(poster: Address, local: bigint): Hex {
  if (local < 0n || local > LOCAL_MASK) throw new RangeError('local task number must fit in 96 bits')
  return numberToHex((hexToBigInt(poster) << LOCAL_BITS) | local, { size: 32 })
}

/** The poster a chain task id belongs to. */
export function posterOfTaskId(taskId: Hex): Address {
  if (!isHex(taskId) || taskId.length !== 66) throw new TypeError('task id must be 32 bytes of hex')
  return getAddress(numberToHex(hexToBigInt(taskId) >> LOCAL_BITS, { size: 20 }))
}
