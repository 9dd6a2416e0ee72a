import { diag, TraceFlags, type Exception } from '@opentelemetry/api';
import { ExportResultCode, globalErrorHandler, type ExportResult } from '@opentelemetry/core';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Clock, Timer } from '../clock.js';
import { encodeBatchRequest, SpanBatch, type EncodedSpans } from './otlp-protobuf.js';

/** The batch settings, as the SDK's BatchSpanProcessor has them. */
export interface BatchSettings {
  /** 512 (`OTEL_BSP_MAX_EXPORT_BATCH_SIZE`): spans in one export at most. */
  maxExportBatchSize: number;
  /** 2048 (`OTEL_BSP_MAX_QUEUE_SIZE`): spans waiting at most; more are dropped. */
  maxQueueSize: number;
  /** 5000 (`OTEL_BSP_SCHEDULE_DELAY`): ms from a batch's first span until it goes out. */
  scheduledDelayMillis: number;
  /** 30000 (`OTEL_BSP_EXPORT_TIMEOUT`): ms an export may take before the next one starts. */
  exportTimeoutMillis: number;
}

/**
 * The `OTEL_BSP_*` variables as the Node SDK reads them: a number above 0, else the default (a
 * diag warning for one that is not), and the batch size at most the queue size.
 */
export function batchSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): BatchSettings {
  const positive = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return fallback;
    const value = Number(raw);
    if (Number.isNaN(value) || value <= 0) {
      diag.warn(`${name} (${raw}) is invalid, expected number greater than 0, using default.`);
      return fallback;
    }
    return value;
  };
  const maxQueueSize = positive('OTEL_BSP_MAX_QUEUE_SIZE', 2048);
  return {
    maxExportBatchSize: Math.min(positive('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512), maxQueueSize),
    maxQueueSize,
    scheduledDelayMillis: positive('OTEL_BSP_SCHEDULE_DELAY', 5000),
    exportTimeoutMillis: positive('OTEL_BSP_EXPORT_TIMEOUT', 30000),
  };
}

/** Where batches go: the OTLP export delegate's `export` and `shutdown`. */
export interface SpanExport {
  export(spans: EncodedSpans & { request: Uint8Array }, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

/**
 * OTLP over HTTP in protobuf, through the library's transport as
 * `@opentelemetry/exporter-trace-otlp-proto` sets it up (endpoint, headers, timeout and
 * compression from the `OTEL_EXPORTER_OTLP_*` variables, retries), sending requests that
 * `encodeBatchRequest` already wrote.
 */
export function otlpHttpExport(): SpanExport {
  return createOtlpHttpExportDelegate(
    convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', {
      'Content-Type': 'application/x-protobuf',
    }),
    {
      serializeRequest: (spans: EncodedSpans & { request: Uint8Array }) => spans.request,
      deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
    },
    'otlp_http_span_exporter',
    { name: 'span', countItems: (spans) => spans.count },
    undefined,
  );
}

/**
 * The SDK's BatchSpanProcessor, for spans encoded as they end: a span's bytes are appended to the
 * open batch by `onEnd` and the span itself is garbage at once (the SDK's keeps up to a queue of
 * span objects alive until their batch is encoded). A batch goes out when it holds
 * `maxExportBatchSize` spans or `scheduledDelayMillis` after its first span; one export at a
 * time, the others wait their turn. Spans beyond `maxQueueSize` (the open batch and those
 * waiting) are dropped and counted, as are spans ended after `shutdown`. Only sampled spans are
 * kept.
 */
export class BatchProcessor {
  private readonly open = new SpanBatch();
  private readonly waiting: EncodedSpans[] = [];
  /** Spans in the open batch and the waiting ones. */
  private queued = 0;
  private exporting = false;
  private timer: Timer | undefined;
  private dropped = 0;
  private shutdownOnce: Promise<void> | undefined;
  /** Called once nothing is open, waiting or being exported. */
  private idle: Array<() => void> = [];

  constructor(
    readonly resource: ReadableSpan['resource'],
    readonly scope: ReadableSpan['instrumentationScope'],
    private readonly settings: BatchSettings,
    private readonly exporter: SpanExport,
    private readonly clock: Clock,
  ) {}

  onEnd(span: ReadableSpan): void {
    if (this.shutdownOnce) return;
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.queued >= this.settings.maxQueueSize) {
      if (this.dropped === 0) diag.debug('maxQueueSize reached, dropping spans');
      this.dropped += 1;
      return;
    }
    if (this.dropped > 0) {
      diag.warn(`Dropped ${this.dropped} spans because maxQueueSize reached`);
      this.dropped = 0;
    }
    try {
      this.open.add(span);
    } catch (error) {
      // A span that cannot be encoded is lost, never the request that ended it.
      globalErrorHandler(error as Exception);
      return;
    }
    this.queued += 1;
    if (this.open.count >= this.settings.maxExportBatchSize) {
      this.close();
    } else if (this.timer === undefined) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = undefined;
        this.close();
      }, this.settings.scheduledDelayMillis);
      unref(this.timer);
    }
  }

  /** Sends every span ended so far, resolving once they are sent (or failed). */
  forceFlush(): Promise<void> {
    return this.shutdownOnce ?? this.flush();
  }

  /** Sends every span ended so far and shuts the exporter down; later spans are dropped. */
  shutdown(): Promise<void> {
    this.shutdownOnce ??= this.flush().then(() => this.exporter.shutdown());
    return this.shutdownOnce;
  }

  private flush(): Promise<void> {
    if (this.open.count > 0) this.close();
    if (!this.exporting) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Moves the open batch to those waiting, and sends the next one unless one is on its way. */
  private close(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.push(this.open.take());
    this.sendNext();
  }

  private sendNext(): void {
    if (this.exporting) return;
    const spans = this.waiting.shift();
    if (!spans) {
      for (const resolve of this.idle.splice(0)) resolve();
      return;
    }
    this.queued -= spans.count;
    this.exporting = true;
    this.send(spans)
      .catch((error: Exception) => globalErrorHandler(error))
      .finally(() => {
        this.exporting = false;
        this.sendNext();
      });
  }

  /** One export, settled by the exporter's answer or after `exportTimeoutMillis`. */
  private async send(spans: EncodedSpans): Promise<void> {
    const { resource } = this;
    if (resource.asyncAttributesPending) await resource.waitForAsyncAttributes?.();
    const request = encodeBatchRequest(resource, this.scope, spans);
    let timer: Timer | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = this.clock.setTimeout(
          () => reject(new Error('Timeout')),
          this.settings.exportTimeoutMillis,
        );
        unref(timer);
        this.exporter.export({ ...spans, request }, (result) => {
          if (result.code === ExportResultCode.SUCCESS) resolve();
          else reject(result.error ?? new Error('BatchSpanProcessor: span export failed'));
        });
      });
    } finally {
      this.clock.clearTimeout(timer);
    }
  }
}

/** A timer that does not keep the process alive: waiting spans never hold up an exit. */
function unref(timer: Timer): void {
  if (typeof timer === 'object' && 'unref' in timer) timer.unref();
}
