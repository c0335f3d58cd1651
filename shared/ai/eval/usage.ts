/**
 * Cost and speed of a provider over an evaluation run: wraps the provider and adds up what each
 * call's result says it used (tokens) and how long it took.
 */
import type { AiCoreProvider } from '../types.js';

export interface UsageReport {
  calls: number;
  promptTokens: number;
  completionTokens: number;
  meanLatencyMs: number;
  p95LatencyMs: number;
}

export interface MeteredProvider {
  provider: AiCoreProvider;
  report: () => UsageReport;
}

export function meterProvider(inner: AiCoreProvider): MeteredProvider {
  const latencies: number[] = [];
  let promptTokens = 0;
  let completionTokens = 0;
  const provider: AiCoreProvider = {
    name: inner.name,
    version: inner.version,
    analyze: async (input) => {
      const started = performance.now();
      const result = await inner.analyze(input);
      latencies.push(result.run?.latencyMs ?? performance.now() - started);
      promptTokens += result.run?.usage?.promptTokens ?? 0;
      completionTokens += result.run?.usage?.completionTokens ?? 0;
      return result;
    },
  };
  return {
    provider,
    report: () => {
      const sorted = [...latencies].sort((a, b) => a - b);
      const mean = sorted.reduce((sum, x) => sum + x, 0) / Math.max(1, sorted.length);
      const p95 = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0;
      return {
        calls: sorted.length,
        promptTokens,
        completionTokens,
        meanLatencyMs: Math.round(mean * 10) / 10,
        p95LatencyMs: Math.round(p95 * 10) / 10,
      };
    },
  };
}

export function formatUsage(u: UsageReport): string {
  return [
    `calls: ${String(u.calls)}`,
    `tokens: ${String(u.promptTokens)} prompt + ${String(u.completionTokens)} completion`,
    `latency: mean ${String(u.meanLatencyMs)} ms, p95 ${String(u.p95LatencyMs)} ms`,
  ].join('; ');
}
