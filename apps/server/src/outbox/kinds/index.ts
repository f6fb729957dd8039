import type { OutboxKind } from '../items.ts'
import { type CreateTaskKindsOptions, createTaskKinds } from './createTask.ts'
import type { OutboxKindHandler } from './kind.ts'
import { settle } from './settle.ts'
import { freeze, refund, unfreeze } from './taskStatus.ts'

export type OutboxKinds = { [K in OutboxKind]: OutboxKindHandler<K> }

/**
 * Every kind of chain call, in the order the relayer sends them each pass: creations first; disputes freeze
 * and unfreeze before settling; refunds before settlements, so they are never starved.
 */
export function outboxKinds(options: CreateTaskKindsOptions): OutboxKinds {
  return { ...createTaskKinds(options), freeze, unfreeze, refund, settle }
}
