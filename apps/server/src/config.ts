import { resolve } from 'node:path'
import { ADAPTIVE_REPLICATION, type AdaptiveParams } from '@taskmarket/core'
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
  /** Bytes one uploader may hold in blobs that no task, job, assignment or proof references yet. */
  blobQuotaBytes: number
  /** How long an unreferenced blob is kept (from its upload or its last use in a posting) before it is collected. */
  blobGraceSeconds: number
  /** How often unreferenced blobs are looked for and collected. */
  blobCollectIntervalMs: number
  /** Requests per client (its identity when authenticated, else its IP), as a token bucket; 0 turns every limit off. */
  rateLimit: { perMinute: number; burst: number; authPerMinute: number; authBurst: number }
  leaseSeconds: number
  /** How often the relayer looks at the outbox. */
  relayIntervalMs: number
  /** How often the escrow in the database is compared with the chain's. */
  reconcileIntervalMs: number
  /** Leases one node may hold at once (no hoarding of a task by a few keys). */
  maxLeasesPerNode: number
  /**
   * Adaptive replication: the run of valid replicated results after which a node may get jobs alone
   * (ADAPTIVE_MIN_RUN), and the share of those checked by a replica at that run (SPOT_CHECK_BPS).
   */
  adaptive: AdaptiveParams
  /** How long the best-ranked online nodes have a new compute task's jobs to themselves (0: everyone at once). */
  offerWindowSeconds: number
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
    blobQuotaBytes: overrides.blobQuotaBytes ?? int(env, 'BLOB_QUOTA_BYTES', 1024 ** 3, 1024, 2 ** 50),
    blobGraceSeconds: overrides.blobGraceSeconds ?? int(env, 'BLOB_GRACE_SECONDS', 24 * 3600, 0, 365 * 24 * 3600),
    blobCollectIntervalMs: overrides.blobCollectIntervalMs ?? int(env, 'BLOB_COLLECT_INTERVAL_MS', 10 * 60_000, 100, 24 * 3_600_000),
    rateLimit: overrides.rateLimit ?? {
      perMinute: int(env, 'RATE_LIMIT_PER_MINUTE', 12_000, 0, 10_000_000),
      burst: int(env, 'RATE_LIMIT_BURST', 2_000, 1, 10_000_000),
      authPerMinute: int(env, 'AUTH_RATE_LIMIT_PER_MINUTE', 300, 0, 10_000_000),
      authBurst: int(env, 'AUTH_RATE_LIMIT_BURST', 100, 1, 10_000_000),
    },
    leaseSeconds: overrides.leaseSeconds ?? int(env, 'LEASE_SECONDS', 30, 1, 3600),
    relayIntervalMs: overrides.relayIntervalMs ?? int(env, 'RELAY_INTERVAL_MS', 250, 10, 60_000),
    reconcileIntervalMs: overrides.reconcileIntervalMs ?? int(env, 'RECONCILE_INTERVAL_MS', 30_000, 100, 3_600_000),
    maxLeasesPerNode: overrides.maxLeasesPerNode ?? int(env, 'MAX_LEASES_PER_NODE', 256, 1, 100_000),
    adaptive: overrides.adaptive ?? {
      ...ADAPTIVE_REPLICATION,
      minRun: int(env, 'ADAPTIVE_MIN_RUN', ADAPTIVE_REPLICATION.minRun, 1, 1_000_000),
      spotCheckBps: int(env, 'SPOT_CHECK_BPS', ADAPTIVE_REPLICATION.spotCheckBps, 0, 10_000),
    },
    offerWindowSeconds: overrides.offerWindowSeconds ?? int(env, 'OFFER_WINDOW_SECONDS', 10, 0, 3600),
    batchSize: overrides.batchSize ?? int(env, 'BATCH_SIZE', 100, 1, 500),
    sessionDays: overrides.sessionDays ?? int(env, 'SESSION_DAYS', 7, 1, 365),
    logLevel,
    webDir: overrides.webDir ?? env.WEB_DIR,
  }
}
