export { type CreatedTask, type MarketEvent, type PreparedOrder, type TaskMarketClient, type TaskSummary, createClient } from './client.ts'
export { ApiError } from './errors.ts'
export { type Lease, type NodeClient, createNodeClient } from './nodeClient.ts'
