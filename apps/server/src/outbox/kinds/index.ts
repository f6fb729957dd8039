import type { Eligibility } from '../../services/eligibility.ts'
import type { OutboxKind } from '../items.ts'
import { createTaskKinds } from './createTask.ts'
import type { OutboxKindHandler } from './kind.ts'
import { settle } from './settle.ts'
import { freeze, refund, unfreeze } from './taskStatus.ts'

export type OutboxKinds = { [K in OutboxKind]: OutboxKindHandler<K> }

/**
 * Every kind of chain call, in the order the relayer sends them each pass: creations first; disputes freeze
 * and unfreeze before settling; refunds before settlements, so they are never starved.
 */
export function outboxKinds({ eligibility }: { eligibility: Eligibility }): OutboxKinds {
  return { ...createTaskKinds({ eligibility }), freeze, unfreeze, refund, settle }
}
