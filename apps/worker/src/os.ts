import { availableParallelism, totalmem } from 'node:os'

/** What a node advertises about its machine. */
export const os = {
  cores: () => availableParallelism(),
  memoryMb: () => Math.floor(totalmem() / 1024 / 1024),
}
