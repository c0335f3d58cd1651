import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { AppError } from '../../shared/errors.js';
import { metricsAllowed, type MetricsAccess } from '../../shared/metrics-access.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** The API's Prometheus registry: process metrics, HTTP latency by route and status, queue depth. */
export function createApiMetrics(queues: Queue[], longPollsWaiting: () => number = () => 0) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs per queue and state (read from Redis at scrape time)',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...JOB_STATES).catch(() => null);
        for (const state of JOB_STATES) {
          if (counts) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        }
      }
    },
  });

  new Gauge({
    name: 'long_polls_waiting',
    help: 'Long-polls (GET /v1/practice/sessions/:id?waitMs=) waiting for their session',
    registers: [registry],
    collect() {
      this.set(longPollsWaiting());
    },
  });

  /** Times every request; the route label is the matched pattern, never the raw URL. */
  const measure: RequestHandler = (req, res, next) => {
    const end = http.startTimer({ method: req.method });
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({
        route: route ? `${req.baseUrl}${route}` : 'unmatched',
        status: String(res.statusCode),
      });
    });
    next();
  };

  return { registry, measure };
}

/** GET /metrics for whoever `access` lets in (mounted only when access is not off). */
export function metricsEndpoint(registry: Registry, access: MetricsAccess): RequestHandler {
  return async (req, res) => {
    if (!metricsAllowed(access, req.get('authorization'))) {
      throw new AppError('AUTH_INVALID', 401, 'Metrics need the metrics token', {
        headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
      });
    }
    res.type(registry.contentType).send(await registry.metrics());
  };
}
