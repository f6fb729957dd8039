import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildApp } from './app.ts'
import { type CommonOptions, createCommon } from './common.ts'
import { type Config, loadConfig } from './config.ts'
import { buildMarket } from './market.ts'
import { serveWebApp, webAppPolicy } from './routes/webApp.ts'

export type RunningServer = Awaited<ReturnType<typeof startServer>>

/**
 * Starts the whole market on its configuration: reads the config, builds the market (market.ts) and its
 * HTTP app, serves the web app when it is built, and listens. `close()` stops everything it started, in
 * reverse order.
 * @example const server = await startServer({ port: 0, home: '/tmp/tm' }); console.log(server.url)
 */
export async function startServer(overrides: Partial<Config> = {}, options: CommonOptions = {}) {
  const config = loadConfig(overrides)
  const common = createCommon(config, options)
  const close = () => common.shutdown.run()
  try {
    const market = await buildMarket(common)
    const app = await buildApp(market)
    const webDir = config.webDir ?? join(import.meta.dirname, '../../web/dist')
    if (existsSync(join(webDir, 'index.html'))) {
      await serveWebApp(app, { webDir, policy: () => webAppPolicy({ publicUrl: config.publicUrl, rpcUrl: market.chain.local ? market.chain.rpcUrl : undefined }) })
    }
    await app.listen({ port: config.port, host: config.host })
    common.shutdown.add('http', () => app.close())
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    // A public URL on port 0 (the default with PORT=0, as in tests) means the address the server got.
    if (new URL(config.publicUrl).port === '0') config.publicUrl = `http://127.0.0.1:${port}`
    const { chain, db, blobs, relayer, orchestrator, reconciliation } = market
    return { url: `http://127.0.0.1:${port}`, port, app, config, chain, db, blobs, relayer, orchestrator, reconciliation, market, common: market, close }
  } catch (error) {
    await close()
    throw error
  }
}
