import { createServer, type Server } from 'node:http';
import type { Worker } from 'bullmq';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AiCoreProvider } from '../shared/ai/index.js';
import { ProviderError } from '../shared/ai/openai/errors.js';
import type { Transcriber } from '../shared/ai/openai/transcriber.js';
import type { ProviderInfo } from '../shared/ai/providers.js';
import { metricsAllowed, type MetricsAccess } from '../shared/metrics-access.js';
import { MAINTENANCE_JOBS } from '../shared/queue/contract.js';

/**
 * The worker's Prometheus metrics: job duration and outcome; provider calls, failures by kind,
 * latency, tokens and fallbacks; which providers run.
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
    help: 'Scoring and transcription provider calls by provider, stage and result',
    labelNames: ['provider', 'stage', 'result'] as const,
    registers: [registry],
  });
  const providerFailures = new Counter({
    name: 'scoring_provider_failures_total',
    help: 'Failed provider calls by kind (timeout, rate_limited, server, refusal, invalid_output…)',
    labelNames: ['provider', 'stage', 'kind'] as const,
    registers: [registry],
  });
  const providerLatency = new Histogram({
    name: 'scoring_provider_latency_seconds',
    help: 'Provider call latency',
    labelNames: ['provider', 'stage'] as const,
    buckets: [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 5, 10, 20, 60],
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'scoring_tokens_total',
    help: 'LLM tokens used by scoring, by model and type (prompt, completion)',
    labelNames: ['model', 'type'] as const,
    registers: [registry],
  });
  const completionLatency = new Histogram({
    name: 'session_completion_seconds',
    help: 'From submit (session stored) to COMPLETED, for sessions this worker applied',
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
    registers: [registry],
  });
  const writeBatchSize = new Histogram({
    name: 'session_write_batch_size',
    help: 'Sessions per claim or apply statement this worker sent (WORKER_WRITE_BATCH caps it)',
    labelNames: ['kind'] as const,
    buckets: [1, 2, 4, 8, 16, 32, 64],
    registers: [registry],
  });
  const sweeps = new Counter({
    name: 'sweeper_sessions_total',
    help: 'Sessions the maintenance sweeper repaired, by action (requeued, failed)',
    labelNames: ['action'] as const,
    registers: [registry],
  });
  const fallbacks = new Counter({
    name: 'scoring_fallbacks_total',
    help: 'Sessions scored by the fallback provider, by the failure that caused it',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const providerInfo = new Gauge({
    name: 'scoring_provider_info',
    help: 'The providers this worker runs (value 1)',
    labelNames: [
      'scoring',
      'model',
      'rubric',
      'fallback',
      'transcription',
      'transcription_model',
    ] as const,
    registers: [registry],
  });
  return {
    registry,
    jobDuration,
    providerCalls,
    providerFailures,
    providerLatency,
    tokens,
    fallbacks,
    providerInfo,
    completionLatency,
    writeBatchSize,
    sweeps,
  };
}

/** Exports what runs as the info gauge's labels. */
export function recordProviderInfo(metrics: WorkerMetrics, info: ProviderInfo): void {
  metrics.providerInfo.set(
    {
      scoring: info.scoring,
      model: info.model,
      rubric: info.rubric,
      fallback: info.fallback,
      transcription: info.transcription,
      transcription_model: info.transcriptionModel,
    },
    1,
  );
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

/** Counts what each maintenance sweep repaired (its job's return value). */
export function observeSweeps(worker: Worker, metrics: WorkerMetrics): void {
  worker.on('completed', (job, result: unknown) => {
    if (job.name !== MAINTENANCE_JOBS.sweepSessions) return;
    const { requeued = 0, failed = 0 } = (result ?? {}) as { requeued?: number; failed?: number };
    metrics.sweeps.inc({ action: 'requeued' }, requeued);
    metrics.sweeps.inc({ action: 'failed' }, failed);
  });
}

/** Times a provider call and counts it as ok or failed (with the failure's kind). */
async function observeCall<T>(
  metrics: WorkerMetrics,
  labels: { provider: string; stage: 'scoring' | 'transcription' },
  call: () => Promise<T>,
): Promise<T> {
  const stop = metrics.providerLatency.startTimer(labels);
  try {
    const result = await call();
    metrics.providerCalls.inc({ ...labels, result: 'ok' });
    return result;
  } catch (err) {
    const kind = err instanceof ProviderError ? err.kind : 'error';
    metrics.providerCalls.inc({ ...labels, result: 'failed' });
    metrics.providerFailures.inc({ ...labels, kind });
    throw err;
  } finally {
    stop();
  }
}

/** Wraps a provider so each call is timed, counted as ok or failed, and its tokens added up. */
export function instrumentProvider(
  provider: AiCoreProvider,
  metrics: WorkerMetrics,
): AiCoreProvider {
  const labels = { provider: provider.name, stage: 'scoring' as const };
  return {
    name: provider.name,
    version: provider.version,
    analyze: async (input) => {
      const result = await observeCall(metrics, labels, () => provider.analyze(input));
      const usage = result.run?.usage;
      if (usage) {
        const model = result.run?.model ?? 'unknown';
        metrics.tokens.inc({ model, type: 'prompt' }, usage.promptTokens);
        metrics.tokens.inc({ model, type: 'completion' }, usage.completionTokens);
      }
      return result;
    },
  };
}

/** Wraps a transcriber so each call is timed and counted as ok or failed. */
export function instrumentTranscriber(
  transcriber: Transcriber,
  metrics: WorkerMetrics,
): Transcriber {
  const labels = { provider: transcriber.name, stage: 'transcription' as const };
  return {
    name: transcriber.name,
    model: transcriber.model,
    transcribe: (clip) => observeCall(metrics, labels, () => transcriber.transcribe(clip)),
  };
}

/**
 * Serves the worker's /metrics on `host:port` (loopback unless configured otherwise) to whoever
 * `access` lets in; 401 without the token. Only started when access is not off.
 */
export function serveMetrics(
  metrics: WorkerMetrics,
  options: { port: number; host: string; access: MetricsAccess },
  onError: (err: Error) => void,
): Server {
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    if (!metricsAllowed(options.access, req.headers.authorization)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Bearer realm="metrics"' }).end();
      return;
    }
    metrics.registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': metrics.registry.contentType }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  // A taken port must not take the worker down: scoring matters more than its metrics.
  server.on('error', onError);
  return server.listen(options.port, options.host);
}
