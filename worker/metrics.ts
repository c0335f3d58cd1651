import { createServer, type Server } from 'node:http';
import type { Worker } from 'bullmq';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AiCoreProvider } from '../shared/ai/index.js';

/**
 * The worker's Prometheus metrics: job duration and outcome, scoring provider calls and failures.
 * Each worker process serves its own /metrics (WORKER_METRICS_PORT) for Prometheus to scrape.
 */
export function createWorkerMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const jobDuration = new Histogram({
    name: 'job_duration_seconds',
    help: 'Scoring job duration by outcome',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const providerCalls = new Counter({
    name: 'scoring_provider_calls_total',
    help: 'Scoring provider calls by provider and result',
    labelNames: ['provider', 'result'] as const,
    registers: [registry],
  });
  return { registry, jobDuration, providerCalls };
}
export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

/** Records every finished job of a BullMQ worker (completed or failed) with its duration. */
export function observeJobs(worker: Worker, metrics: WorkerMetrics): void {
  const observe = (
    job: { processedOn?: number; finishedOn?: number } | undefined,
    outcome: string,
  ) => {
    if (!job?.processedOn) return;
    const seconds = ((job.finishedOn ?? Date.now()) - job.processedOn) / 1000;
    metrics.jobDuration.observe({ queue: worker.name, outcome }, seconds);
  };
  worker.on('completed', (job) => {
    observe(job, 'completed');
  });
  worker.on('failed', (job) => {
    observe(job, 'failed');
  });
}

/** Wraps a provider so each call is counted as ok or failed. */
export function instrumentProvider(
  provider: AiCoreProvider,
  metrics: WorkerMetrics,
): AiCoreProvider {
  return {
    name: provider.name,
    version: provider.version,
    analyze: async (input) => {
      try {
        const result = await provider.analyze(input);
        metrics.providerCalls.inc({ provider: provider.name, result: 'ok' });
        return result;
      } catch (err) {
        metrics.providerCalls.inc({ provider: provider.name, result: 'failed' });
        throw err;
      }
    },
  };
}

export function serveMetrics(
  metrics: WorkerMetrics,
  port: number,
  onError: (err: Error) => void,
): Server {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  // A taken port must not take the worker down: scoring matters more than its metrics.
  server.on('error', onError);
  return server.listen(port);
}
