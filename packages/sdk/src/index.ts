export { type CreatedTask, type MarketEvent, type MarketStats, type NodeRecords, type NodeView, type PreparedOrder, type ReconciliationReport, type TaskMarketClient, type TaskSummary, createClient } from './client.ts'
export { ApiError, ConnectionError } from './errors.ts'
export { type Lease, type NodeClient, createNodeClient } from './nodeClient.ts'
