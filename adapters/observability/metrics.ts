import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { CoreMetrics } from '../../core/index.js';

/** Prometheus metrics of one process, exposed at /metrics. */
export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  eventsRecorded: Counter<'kind'>;
  errors: Counter<'source' | 'code'>;
  /** 1 for the TensorFlow.js backend in use (tensorflow, wasm or cpu). */
  tensorflowBackend: Gauge<'backend'>;
  /** The core's view of these metrics. */
  core: CoreMetrics;
}

/**
 * Creates a fresh registry (one per process, or per test app) with the process defaults.
 *
 * @example
 * const metrics = createMetrics();
 * metrics.errors.inc({ source: 'cron', code: 'retargeting_failed' });
 */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'zhiliao_http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const eventsRecorded = new Counter({
    name: 'zhiliao_events_recorded_total',
    help: 'Follower events recorded (duplicates excluded) by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'zhiliao_errors_total',
    help: 'Errors by source (http, cron, send, bot, train) and code',
    labelNames: ['source', 'code'] as const,
    registers: [registry],
  });
  const tensorflowBackend = new Gauge({
    name: 'zhiliao_tensorflow_backend',
    help: 'TensorFlow.js backend in use (1 on the chosen one)',
    labelNames: ['backend'] as const,
    registers: [registry],
  });
  return {
    registry,
    httpDuration,
    eventsRecorded,
    errors,
    tensorflowBackend,
    core: { eventsRecorded: (kind, count) => eventsRecorded.inc({ kind }, count) },
  };
}
