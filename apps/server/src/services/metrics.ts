import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

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
  }
}
