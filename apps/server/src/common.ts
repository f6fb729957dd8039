import { randomInt } from 'node:crypto'
import { pino } from 'pino'
import type { Config } from './config.ts'
import { type Metrics, createMetrics } from './services/metrics.ts'

/** The market's one clock, in milliseconds since the epoch: every rule reads time from it (tests move it). */
export type Clock = () => number

/** The market's one source of chance, uniform in [0, 1): who cannot predict it cannot game it (tests seed it). */
export type Random = () => number

/** 48 random bits from the operating system, as a number in [0, 1). */
const secureRandom: Random = () => randomInt(2 ** 48 - 1) / 2 ** 48

export type Logger = pino.Logger

/** Subsystems add how they stop as they start; `run` stops them all, the last started first. */
export type Shutdown = { add(name: string, stop: () => Promise<unknown> | unknown): void; run(): Promise<void> }

/**
 * The cross-cutting things every subsystem may use, and only those: configuration, logger, metrics, the
 * shutdown registry, the clock and chance. The market's services are built over it (market.ts).
 */
export type Common = { config: Config; logger: Logger; metrics: Metrics; shutdown: Shutdown; clock: Clock; random: Random }

export type CommonOptions = {
  /** A pino logger's options, or false (the default) for silence. */
  logger?: boolean | { level?: string }
  clock?: Clock
  random?: Random
}

export function createCommon(config: Config, { logger = false, clock = Date.now, random = secureRandom }: CommonOptions = {}): Common {
  const log = pino({ level: logger === false ? 'silent' : logger === true ? config.logLevel : (logger.level ?? config.logLevel) })
  return { config, logger: log, metrics: createMetrics(), shutdown: createShutdown(log), clock, random }
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
