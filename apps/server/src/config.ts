import { resolve } from 'node:path'
import type { Hex } from 'viem'

/** Everything the server is configured by; read from the environment in one place, validated once. */
export type Config = {
  /** Data folder: chain state, deployment, database, blobs. */
  home: string
  host: string
  port: number
  /** Public origin used in Sign-In with Ethereum messages and links. */
  publicUrl: string
  /** PostgreSQL when set, else PGlite in `home/db`. */
  databaseUrl?: string
  /** External JSON-RPC when set, else an embedded anvil in `home/chain`. */
  rpcUrl?: string
  /** Operator key that relays orders and settles; the local development key when on the embedded chain. */
  operatorKey?: Hex
  blobDir: string
  maxUploadBytes: number
  leaseSeconds: number
  /** How often the relayer looks at the outbox. */
  relayIntervalMs: number
  /** Most tasks per on-chain batch. */
  batchSize: number
  sessionDays: number
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Folder of the built web app to serve at `/`, when it exists. */
  webDir?: string
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Record<string, string | undefined>

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const value = Number(raw)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`)
  }
  return value
}

/**
 * Builds the configuration from `overrides` and the environment; throws a ConfigError that says what to fix.
 * @example loadConfig({ port: 0 }, process.env)
 */
export function loadConfig(overrides: Partial<Config> = {}, env: Env = process.env): Config {
  const home = resolve(overrides.home ?? env.TASKMARKET_HOME ?? '.taskmarket')
  const port = overrides.port ?? int(env, 'PORT', 8080, 0, 65535)
  const host = overrides.host ?? env.HOST ?? '127.0.0.1'
  const operatorKey = (overrides.operatorKey ?? env.OPERATOR_KEY) as Hex | undefined
  if (operatorKey !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(operatorKey)) {
    throw new ConfigError('OPERATOR_KEY must be a 32-byte private key as 0x-prefixed hex')
  }
  const rpcUrl = overrides.rpcUrl ?? env.RPC_URL
  if (rpcUrl && !operatorKey) throw new ConfigError('RPC_URL is set, so OPERATOR_KEY must be set too')
  const databaseUrl = overrides.databaseUrl ?? env.DATABASE_URL
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://')
  }
  const logLevel = (overrides.logLevel ?? env.LOG_LEVEL ?? 'info') as Config['logLevel']
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "${logLevel}"`)
  }
  return {
    home,
    host,
    port,
    publicUrl: overrides.publicUrl ?? env.PUBLIC_URL ?? `http://localhost:${port}`,
    databaseUrl,
    rpcUrl,
    operatorKey,
    blobDir: overrides.blobDir ?? resolve(home, 'blobs'),
    maxUploadBytes: overrides.maxUploadBytes ?? int(env, 'MAX_UPLOAD_BYTES', 64 * 1024 * 1024, 1024, 2 ** 40),
    leaseSeconds: overrides.leaseSeconds ?? int(env, 'LEASE_SECONDS', 30, 1, 3600),
    relayIntervalMs: overrides.relayIntervalMs ?? int(env, 'RELAY_INTERVAL_MS', 250, 10, 60_000),
    batchSize: overrides.batchSize ?? int(env, 'BATCH_SIZE', 100, 1, 500),
    sessionDays: overrides.sessionDays ?? int(env, 'SESSION_DAYS', 7, 1, 365),
    logLevel,
    webDir: overrides.webDir ?? env.WEB_DIR,
  }
}
