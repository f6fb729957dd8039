import { formatGasPaths, measureGas } from '@taskmarket/contracts/gas'

export type GasPerTask = { gasPerTask: number; detail: string[] } | { failed: string }

/**
 * Gas of one 3-replica compute task amortized over a batch of 100, as `npm run gas` measures it (on its own
 * anvil); `detail` is its table of paths, as `npm run gas` prints it.
 * @example const g = await measureGasPerTask(); if ('gasPerTask' in g) g.gasPerTask
 */
export async function measureGasPerTask({ attempts = 2 }: { attempts?: number } = {}): Promise<GasPerTask> {
  let result: GasPerTask = { failed: 'not run' }
  // A second attempt: the measurement's anvil takes a port that was free a moment before, which another
  // process on a busy machine can take first.
  for (let i = 0; i < attempts && 'failed' in result; i++) {
    try {
      const { headline, paths } = await measureGas()
      result = { gasPerTask: Number(headline), detail: formatGasPaths(paths) }
    } catch (error) {
      result = { failed: error instanceof Error ? error.message.split('\n').slice(0, 3).join(' | ') : String(error) }
    }
  }
  return result
}
