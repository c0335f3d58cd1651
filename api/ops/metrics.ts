import type { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PrismaClient } from '../../shared/db.js';
import { AppError } from '../../shared/errors.js';
import { metricsAllowed, type MetricsAccess } from '../../shared/metrics-access.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized'] as const;

/** The API's Prometheus registry: process metrics, HTTP latency by route and status, queue depth. */
export interface ApiMetricsSources {
  queues: Queue[];
  /** For the session gauges read at scrape time (FAILED by code, oldest QUEUED). */
  prisma: PrismaClient;
  longPollsWaiting: () => number;
  /** Submit statements the batcher sent and the submits they carried (SUBMIT_BATCH). */
  submitBatches: { statements: number; submits: number };
}

export function createApiMetrics({
  queues,
  prisma,
  longPollsWaiting,
  submitBatches,
}: ApiMetricsSources) {
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

  // Their ratio is the mean batch size: how many submits share one statement.
  new Counter({
    name: 'submit_statements_total',
    help: 'Batched submit statements sent by this process (each carries up to SUBMIT_BATCH submits)',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(submitBatches.statements);
    },
  });
  new Counter({
    name: 'submit_statement_submits_total',
    help: 'Submits carried by those statements',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(submitBatches.submits);
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

  new Gauge({
    name: 'queue_workers',
    help: 'Workers connected to each queue (BullMQ worker list)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const count = await queue.getWorkersCount().catch(() => null);
        if (count !== null) this.set({ queue: queue.name }, count);
      }
    },
  });
  new Gauge({
    name: 'sessions_failed',
    help: 'FAILED sessions by error code (read from Postgres at scrape time)',
    labelNames: ['code'] as const,
    registers: [registry],
    async collect() {
      const rows = await prisma.practiceSession
        .groupBy({ by: ['errorCode'], where: { status: 'FAILED' }, _count: true })
        .catch(() => null);
      if (!rows) return;
      this.reset();
      for (const row of rows) this.set({ code: row.errorCode ?? 'UNKNOWN' }, row._count);
    },
  });
  new Gauge({
    name: 'sessions_oldest_queued_age_seconds',
    help: 'Age of the oldest session still QUEUED (0 when none): a growing value means no worker is scoring',
    registers: [registry],
    async collect() {
      const oldest = await prisma.practiceSession
        .findFirst({
          where: { status: 'QUEUED' },
          orderBy: { createdAt: 'asc' },
          select: { createdAt: true },
        })
        .catch(() => undefined);
      if (oldest === undefined) return;
      this.set(oldest ? (Date.now() - oldest.createdAt.getTime()) / 1000 : 0);
    },
  });
  const replays = new Counter({
    name: 'idempotent_replays_total',
    help: 'Requests answered as a replay of an earlier one (Idempotent-Replayed), by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'rate_limited_total',
    help: 'Requests refused 429 RATE_LIMITED, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });

  /** Times every request; the route label is the matched pattern, never the raw URL. */
  const measure: RequestHandler = (req, res, next) => {
    const end = http.startTimer({ method: req.method });
    res.on('finish', () => {
      const path = (req.route as { path?: string } | undefined)?.path;
      const route = path ? `${req.baseUrl}${path}` : 'unmatched';
      end({ route, status: String(res.statusCode) });
      if (res.getHeader('idempotent-replayed') === 'true') replays.inc({ route });
      if (res.statusCode === 429) rateLimited.inc({ route });
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
