export { formatGasHeadline, formatGasPaths, formatGasReport, formatGasRows } from './formatGas.ts'
export {
  GAS_BATCH,
  GAS_PATHS,
  GAS_POCO,
  GAS_POSTERS,
  GAS_TARGET,
  GAS_WORKER_POOL,
  type GasPath,
  type GasPathSpec,
  type GasRow,
  type MeasureGasReturnType,
  measureGas,
} from './measureGas.ts'
