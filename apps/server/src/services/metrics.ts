import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** Prometheus metrics served at /metrics. */
export function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  return {
    registry,
    httpDuration: new Histogram({ name: 'http_request_duration_seconds', help: 'HTTP request duration', labelNames: ['method', 'route', 'status'], registers: [registry], buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5] }),
    jobsClaimed: new Counter({ name: 'jobs_claimed_total', help: 'Job leases handed to workers', registers: [registry] }),
    resultsSubmitted: new Counter({ name: 'results_submitted_total', help: 'Results submitted by workers', registers: [registry] }),
    tasksPosted: new Counter({ name: 'tasks_posted_total', help: 'Tasks posted', labelNames: ['kind'], registers: [registry] }),
    outboxQuarantined: new Counter({ name: 'outbox_quarantined_total', help: 'Outbox items that could not be sent and wait for a retry with backoff', labelNames: ['kind'], registers: [registry] }),
    outboxFailed: new Counter({ name: 'outbox_failed_total', help: 'Outbox items the chain refused for good', labelNames: ['kind'], registers: [registry] }),
    outboxWaiting: new Gauge({ name: 'outbox_quarantined', help: 'Outbox items in quarantine now, by kind', labelNames: ['kind'], registers: [registry] }),
    escrowDrift: new Gauge({ name: 'escrow_drift_tasks', help: 'Open tasks whose escrow in the database differs from the chain, at the last reconciliation', registers: [registry] }),
    escrowDriftTotal: new Counter({ name: 'escrow_drift_found_total', help: 'Escrow differences between the database and the chain found by reconciliation', registers: [registry] }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>
