import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.ts'

describe('loadConfig', () => {
  it('has embedded defaults', () => {
    const c = loadConfig({}, {})
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', leaseSeconds: 30, batchSize: 100, databaseUrl: undefined, rpcUrl: undefined })
    expect(c.home.endsWith('.taskmarket')).toBe(true)
    expect(c.blobDir).toBe(`${c.home}/blobs`)
  })
  it('reads the environment and lets overrides win', () => {
    const c = loadConfig({ port: 9 }, { PORT: '7000', TASKMARKET_HOME: '/tmp/x', DATABASE_URL: 'postgres://u@h/db', LEASE_SECONDS: '5' })
    expect(c).toMatchObject({ port: 9, home: '/tmp/x', databaseUrl: 'postgres://u@h/db', leaseSeconds: 5 })
  })
  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be a whole number from 0 to 65535/],
    [{ RPC_URL: 'http://x' }, /OPERATOR_KEY must be set/],
    [{ OPERATOR_KEY: '0x12' }, /OPERATOR_KEY must be a 32-byte private key/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL must start with postgres/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of/],
    [{ BATCH_SIZE: '0' }, /BATCH_SIZE must be a whole number from 1 to 500/],
  ])('refuses %o with a message that says what to fix', (env, message) => {
    expect(() => loadConfig({}, env)).toThrow(ConfigError)
    expect(() => loadConfig({}, env)).toThrow(message)
  })
})
