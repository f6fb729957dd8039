import type { Market } from './market.ts'

/**
 * What every route receives: the market's services over the common bag (`common.common` holds the
 * cross-cutting things: config, logger, metrics, shutdown, clock).
 */
export type Common = Market
