import { diag, DiagLogLevel, SamplingDecision, type DiagLogger } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, type Sampler } from '@opentelemetry/sdk-trace';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/clock.js';
import {
  BatchProcessor,
  batchSettingsFromEnv,
  type BatchSettings,
  type SpanExport,
} from '../../src/telemetry/batch-processor.js';
import { LeanTracer, spanLimitsFromEnv } from '../../src/telemetry/recorder.js';

// The processor on fake timers (`systemClock` calls the global timers vitest fakes): every
// batch, delay and count below is exact.

beforeEach(() => void vi.useFakeTimers());
afterEach(() => {
  vi.useRealTimers();
  diag.disable();
});

const SETTINGS: BatchSettings = {
  maxExportBatchSize: 3,
  maxQueueSize: 8,
  scheduledDelayMillis: 1000,
  exportTimeoutMillis: 5000,
};

/** An exporter that answers only when told: each export's span count, and its answer. */
function exporter() {
  const exports: Array<{ count: number; request: Uint8Array; answer: () => void }> = [];
  let shutdowns = 0;
  const target: SpanExport = {
    export(spans, done: (result: ExportResult) => void) {
      exports.push({
        count: spans.count,
        request: spans.request,
        answer: () => done({ code: ExportResultCode.SUCCESS }),
      });
    },
    async shutdown() {
      shutdowns += 1;
    },
  };
  return { target, exports, shutdowns: () => shutdowns, counts: () => exports.map((e) => e.count) };
}

function processorOf(
  settings: Partial<BatchSettings> = {},
  sampler: Sampler = new AlwaysOnSampler(),
) {
  const sent = exporter();
  const processor = new BatchProcessor(
    resourceFromAttributes({ 'service.name': 'test' }),
    { name: 'test' },
    { ...SETTINGS, ...settings },
    sent.target,
    systemClock,
  );
  const tracer = new LeanTracer(processor, sampler, spanLimitsFromEnv({}));
  const end = (spans: number) => {
    for (let i = 0; i < spans; i++) tracer.startSpan(`span ${i}`).end();
  };
  return { processor, sent, end };
}

/** Lets the processor's promise callbacks run (no time passes). */
const settle = () => vi.advanceTimersByTimeAsync(0);

describe('BatchProcessor', () => {
  it('sends a batch as soon as it holds the batch size, one export at a time', async () => {
    const { sent, end } = processorOf();
    end(7);
    await settle();
    // 3 out, 3 waiting for that export, 1 in the open batch.
    expect(sent.counts()).toEqual([3]);
    sent.exports[0]!.answer();
    await settle();
    expect(sent.counts()).toEqual([3, 3]);
    sent.exports[1]!.answer();
    await settle();
    expect(sent.counts()).toEqual([3, 3]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.counts()).toEqual([3, 3, 1]);
  });

  it('sends a batch the delay after its first span', async () => {
    const { sent, end } = processorOf();
    end(1);
    await vi.advanceTimersByTimeAsync(600);
    end(1);
    await vi.advanceTimersByTimeAsync(399);
    expect(sent.counts()).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.counts()).toEqual([2]);
    sent.exports[0]!.answer();
    // No span, no timer: nothing more goes out.
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.counts()).toEqual([2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('drops the spans beyond the queue size, and says how many once', async () => {
    const warnings: string[] = [];
    const logger: DiagLogger = {
      warn: (message: string) => void warnings.push(message),
      error() {},
      info() {},
      debug() {},
      verbose() {},
    };
    diag.setLogger(logger, DiagLogLevel.WARN);
    const { sent, end } = processorOf();
    // 3 out (no longer queued); 8 queued: two full batches waiting and 2 open; 2 dropped.
    end(3 + 8 + 2);
    await settle();
    expect(sent.counts()).toEqual([3]);
    expect(warnings).toEqual([]);
    for (let i = 0; i < 3; i++) {
      sent.exports[i]!.answer();
      await settle();
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.counts()).toEqual([3, 3, 3, 2]);
    end(1);
    expect(warnings).toEqual(['Dropped 2 spans because maxQueueSize reached']);
  });

  it('starts the next export when one has not answered within the export timeout', async () => {
    const { sent, end } = processorOf();
    end(6);
    await vi.advanceTimersByTimeAsync(4999);
    expect(sent.counts()).toEqual([3]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.counts()).toEqual([3, 3]);
  });

  it('sends everything on shutdown, waits for it, and drops the spans ended after', async () => {
    const { processor, sent, end } = processorOf();
    end(5);
    let done = false;
    const shutdown = processor.shutdown().then(() => (done = true));
    await settle();
    expect(sent.counts()).toEqual([3]);
    sent.exports[0]!.answer();
    await settle();
    expect(sent.counts()).toEqual([3, 2]);
    expect(done).toBe(false);
    sent.exports[1]!.answer();
    await shutdown;
    expect(sent.shutdowns()).toBe(1);
    end(4);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.counts()).toEqual([3, 2]);
    await processor.shutdown();
    expect(sent.shutdowns()).toBe(1);
  });

  it('sends what is open on forceFlush and keeps taking spans', async () => {
    const { processor, sent, end } = processorOf();
    end(2);
    const flushed = processor.forceFlush();
    await settle();
    expect(sent.counts()).toEqual([2]);
    sent.exports[0]!.answer();
    await flushed;
    end(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.counts()).toEqual([2, 1]);
  });

  it('sends no span that is recorded but not sampled', async () => {
    const recordOnly: Sampler = {
      shouldSample: () => ({ decision: SamplingDecision.RECORD }),
      toString: () => 'record only',
    };
    const { processor, sent, end } = processorOf({}, recordOnly);
    end(4);
    await processor.forceFlush();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent.counts()).toEqual([]);
  });
});

describe('batchSettingsFromEnv', () => {
  it('has the SDK’s defaults', () => {
    expect(batchSettingsFromEnv({})).toEqual({
      maxExportBatchSize: 512,
      maxQueueSize: 2048,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30000,
    });
  });

  it('reads the OTEL_BSP_* variables, takes the default for a value not above 0, and caps the batch at the queue', () => {
    expect(
      batchSettingsFromEnv({
        OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '100',
        OTEL_BSP_MAX_QUEUE_SIZE: '50',
        OTEL_BSP_SCHEDULE_DELAY: '0',
        OTEL_BSP_EXPORT_TIMEOUT: 'soon',
      }),
    ).toEqual({
      maxExportBatchSize: 50,
      maxQueueSize: 50,
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30000,
    });
  });
});
