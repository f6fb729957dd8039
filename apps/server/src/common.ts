import { pino } from 'pino'
import type { Config } from './config.ts'
import { type Metrics, createMetrics } from './services/metrics.ts'

/** The market's one clock, in milliseconds since the epoch: every rule reads time from it (tests move it). */
export type Clock = () => number

export type Logger = pino.Logger

/** Subsystems add how they stop as they start; `run` stops them all, the last started first. */
export type Shutdown = { add(name: string, stop: () => Promise<unknown> | unknown): void; run(): Promise<void> }

/**
 * The cross-cutting things every subsystem may use, and only those: configuration, logger, metrics, the
 * shutdown registry and the clock. The market's services are built over it (market.ts).
 */
export type Common = { config: Config; logger: Logger; metrics: Metrics; shutdown: Shutdown; clock: Clock }

export type CommonOptions = {
  /** A pino logger's options, or false (the default) for silence. */
  logger?: boolean | { level?: string }
  clock?: Clock
}

export function createCommon(config: Config, { logger = false, clock = Date.now }: CommonOptions = {}): Common {
  const log = pino({ level: logger === false ? 'silent' : logger === true ? config.logLevel : (logger.level ?? config.logLevel) })
  return { config, logger: log, metrics: createMetrics(), shutdown: createShutdown(log), clock }
}

function createShutdown(logger: Logger): Shutdown {
  const stops: { name: string; stop: () => Promise<unknown> | unknown }[] = []
  return {
    add(name, stop) {
      stops.push({ name, stop })
    },
    async run() {
      for (const { name, stop } of stops.splice(0).reverse()) {
        try {
          await stop()
        } catch (error) {
          logger.warn({ err: error, subsystem: name }, 'stopping failed; the others still stop')
        }
      }
    },
  }
}
