import { type Address, type Hex, encodeAbiParameters, encodePacked, keccak256 } from 'viem'

/**
 * iExec-style commitment of a result: `resultHash = H(task, job, digest)` says what was computed,
 * `seal = H(worker, task, job, digest)` binds it to the worker, so copying another's seal is useless.
 */
export function resultHash(taskId: Hex, jobId: Hex, digest: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }], [taskId, jobId, digest]))
}

/** The worker-bound seal of a result (see `resultHash`). */
export function resultSeal(worker: Address, taskId: Hex, jobId: Hex, digest: Hex): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'address' }, { type: 'bytes32' }, { type: 'bytes32' }, { type: 'bytes32' }],
      [worker, taskId, jobId, digest],
    ),
  )
}

/**
 * The digest of a result that is an error with a known code (a module that traps, a time limit): replicas
 * that agree on the code agree on this digest, so a job that errors everywhere is decided and paid like any
 * other result, and a poster cannot get work for free by posting a job that always fails.
 * @example errorDigest('TIME_LIMIT')
 */
export function errorDigest(code: string): Hex {
  return keccak256(encodeAbiParameters([{ type: 'string' }, { type: 'string' }], ['taskmarket:error', code]))
}

/** The on-chain id of a task's i-th job, as job records anchor it: H(taskId, index). */
export function jobChainId(taskId: Hex, index: number): Hex {
  return keccak256(encodePacked(['bytes32', 'uint32'], [taskId, index]))
}
