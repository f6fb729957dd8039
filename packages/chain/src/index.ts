export * from './generated/index.ts'
export { DEV_MNEMONIC, devAccount, devPrivateKey } from './accounts.ts'
export { type ContractAddresses, type TaskMarketContracts, getTaskMarketContracts } from './contracts.ts'
export { type DeployParameters, type Deployment, deploy, loadDeployment, roles } from './deploy.ts'
export { ChainError } from './errors.ts'
export { type ChainRemedies, type ExplainChainErrorOptions, cliRemedies, explainChainError } from './explainChainError.ts'
export { type LocalChain, type StartLocalChainParameters, anvilBinary, freePort, startLocalChain } from './localChain.ts'
export { type AwaitReceiptParameters, TransactionDroppedError, awaitReceipt } from './receipt.ts'
export { chainTaskId, posterOfTaskId } from './taskId.ts'
export {
  AMOUNT_UNIT,
  MAX_BATCH_SLASHES,
  MAX_SHARES,
  MAX_SLASH_BPS,
  type EncodedTaskSettlement,
  type ReputationInput,
  type ShareInput,
  type SlashInput,
  type SlashReasonName,
  type TaskSettlementInput,
  decodeReputations,
  decodeSlash,
  decodeTaskSettlement,
  encodeReputations,
  encodeSlash,
  encodeTaskSettlement,
} from './settlement.ts'
export { taskOrderDomain, taskOrderTypes } from './taskOrder.ts'
export { LEVEL1_STAKE, stakeDevNodes } from './stakeDevNodes.ts'
