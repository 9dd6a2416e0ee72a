import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
} from '@opentelemetry/api';
import { loggingErrorHandler, setGlobalErrorHandler } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { BatchProcessor } from '../../src/telemetry/batch-processor.js';
import { encodeTraceRequest } from '../../src/telemetry/otlp-protobuf.js';
import { LeanTracer, spanLimitsFromEnv } from '../../src/telemetry/recorder.js';

/** Spans recorded by the SDK itself, as the exporter gets them. */
function recorder() {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  return { provider, spans: () => exporter.getFinishedSpans() as ReadableSpan[] };
}

const remoteParent = (traceState?: string): Context =>
  trace.setSpanContext(ROOT_CONTEXT, {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId: '00f067aa0ba902b7',
    traceFlags: TraceFlags.SAMPLED,
    isRemote: true,
    ...(traceState && {
      traceState: {
        serialize: () => traceState,
        get: () => undefined,
        set() {
          return this;
        },
        unset() {
          return this;
        },
      },
    }),
  });

/** The library's bytes and ours, for the same spans. */
function bothOf(spans: ReadableSpan[]) {
  const library = ProtobufTraceSerializer.serializeRequest(spans);
  expect(library).toBeDefined();
  return { library: Buffer.from(library!), ours: Buffer.from(encodeTraceRequest(spans)) };
}

describe('encodeTraceRequest', () => {
  it('writes the bytes the library writes for the spans a request makes', () => {
    const { provider, spans } = recorder();
    const tracer = provider.getTracer('executions-subgraph');
    const server = tracer.startSpan(
      'POST /graphql',
      { kind: SpanKind.SERVER, attributes: { 'http.route': '/graphql' } },
      remoteParent(),
    );
    const parent = trace.setSpan(ROOT_CONTEXT, server);
    const execute = tracer.startSpan(
      'query Traced',
      {
        attributes: {
          'graphql.operation.type': 'query',
          'graphql.operation.name': 'Traced',
          'graphql.source': 'query Traced { executions(ids: ["*","*"]) { id state } }',
        },
      },
      parent,
    );
    execute.end();
    const call = tracer.startSpan('GET DURABLE_WORKFLOW', { kind: SpanKind.CLIENT }, parent);
    call.setAttributes({
      'executions.provider': 'DURABLE_WORKFLOW',
      'server.port': 4010,
      'executions.cache.hit': false,
    });
    call.setAttribute('http.response.status_code', 200);
    call.end();
    server.setAttributes({
      'executions.request_id': '0f6a3a5e-2a7f-4d0e-9d7c-7a1d1b0a7c55',
      'graphql.error.codes': [],
      'executions.upstream_calls': 1,
    });
    server.end();
    const { library, ours } = bothOf(spans());
    expect(spans()).toHaveLength(3);
    expect(ours.equals(library)).toBe(true);
  });

  it('writes the same bytes for every kind of value, events, links, statuses and sizes', () => {
    const { provider, spans } = recorder();
    const other = recorder();
    const tracer = provider.getTracer('one', '1.2.3', { schemaUrl: 'https://example.com/s' });
    const second = provider.getTracer('two');
    const values: Attributes = {
      ascii: 'plain',
      unicode: 'ünïcödé ✓ 𝄞 text',
      long: 'x'.repeat(200),
      longer: 'y'.repeat(20_000),
      yes: true,
      no: false,
      zero: 0,
      small: 7,
      negative: -42,
      large: 2 ** 40,
      huge: 2 ** 60,
      hugeNegative: -(2 ** 62),
      double: 3.25,
      nan: Number.NaN,
      infinite: Number.POSITIVE_INFINITY,
      strings: ['a', 'ü', ''],
      numbers: [1, -2, 3.5],
      flags: [true, false],
      gaps: ['a', null, undefined, 'b'],
      empty: [],
    };
    for (const kind of [
      SpanKind.INTERNAL,
      SpanKind.SERVER,
      SpanKind.CLIENT,
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
    ]) {
      const span = tracer.startSpan(
        `span ${kind} ✓`,
        { kind, attributes: values },
        remoteParent('a=1,b=2'),
      );
      span.addEvent('plain');
      span.addEvent('with attributes', { 'event.n': 1, 'event.s': 'ünï' });
      span.addLink({
        context: {
          traceId: 'a'.repeat(32),
          spanId: 'b'.repeat(16),
          traceFlags: TraceFlags.NONE,
          isRemote: kind % 2 === 0,
        },
        attributes: { 'link.kind': kind },
      });
      span.setStatus(
        kind === SpanKind.CLIENT
          ? { code: SpanStatusCode.ERROR, message: 'it failed ✗' }
          : { code: kind === SpanKind.SERVER ? SpanStatusCode.OK : SpanStatusCode.UNSET },
      );
      span.end();
    }
    // A root with no parent, a child of a local parent, many attributes (a span of 3-byte
    // length), and a second scope and resource in the same batch.
    const root = second.startSpan('root');
    const child = second.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    for (let i = 0; i < 120; i++) child.setAttribute(`attribute.${i}`, 'v'.repeat(i * 20));
    child.end();
    root.end();
    other.provider.getTracer('elsewhere').startSpan('in another resource').end();
    const batch = [...spans(), ...other.spans()];
    const { library, ours } = bothOf(batch);
    expect(library.length).toBeGreaterThan(200_000);
    expect(ours.equals(library)).toBe(true);
  });

  it('writes a batch of 512 request spans as the library does, and again the same after', () => {
    const { provider, spans } = recorder();
    const tracer = provider.getTracer('executions-subgraph');
    for (let i = 0; i < 512; i++) {
      tracer
        .startSpan(`GET P${i % 5}`, {
          kind: SpanKind.CLIENT,
          attributes: { 'executions.upstream.attempt': (i % 3) + 1, 'server.address': '127.0.0.1' },
        })
        .end();
    }
    expect(spans()).toHaveLength(512);
    const { library, ours } = bothOf(spans());
    expect(ours.equals(library)).toBe(true);
    // The writer's buffer is reused: a second, smaller request is not the first one's tail.
    const few = spans().slice(0, 2);
    expect(Buffer.from(encodeTraceRequest(few)).equals(bothOf(few).library)).toBe(true);
  });
});

describe('spans of the lean tracer', () => {
  it('leave a batch of whole spans when one fails to encode part way', async () => {
    const requests: Uint8Array[] = [];
    const errors: unknown[] = [];
    setGlobalErrorHandler((error) => void errors.push(error));
    const processor = new BatchProcessor(
      resourceFromAttributes({ 'service.name': 'executions-subgraph' }),
      { name: 'executions-subgraph' },
      {
        maxExportBatchSize: 512,
        maxQueueSize: 2048,
        scheduledDelayMillis: 60_000,
        exportTimeoutMillis: 1000,
      },
      {
        export(spans, done) {
          expect(spans.count).toBe(2);
          requests.push(spans.request);
          done({ code: 0 });
        },
        shutdown: async () => undefined,
      },
      systemClock,
    );
    const tracer = new LeanTracer(processor, new AlwaysOnSampler(), spanLimitsFromEnv({}));
    const kept: ReadableSpan[] = [];
    const first = tracer.startSpan('first', { attributes: { a: 'x'.repeat(200) } });
    first.end();
    kept.push(first as unknown as ReadableSpan);
    // Its trace state is written after its ids, so the span is half written when it throws.
    const broken = tracer.startSpan('broken', {}, remoteParent('a=1'));
    (broken.spanContext() as { traceState: unknown }).traceState = {
      serialize() {
        throw new Error('no trace state');
      },
    };
    expect(() => broken.end()).not.toThrow();
    const last = tracer.startSpan('last');
    last.end();
    kept.push(last as unknown as ReadableSpan);
    await processor.forceFlush();
    setGlobalErrorHandler(loggingErrorHandler());
    expect(errors).toEqual([new Error('no trace state')]);
    expect(Buffer.from(requests[0]!).equals(Buffer.from(encodeTraceRequest(kept)))).toBe(true);
  });

  it('go out as the bytes the library writes for the same spans', async () => {
    const requests: Uint8Array[] = [];
    const processor = new BatchProcessor(
      resourceFromAttributes({ 'service.name': 'executions-subgraph', 'host.name': 'h' }),
      { name: 'executions-subgraph', version: '1.0.0', schemaUrl: 'https://example.com/s' },
      {
        maxExportBatchSize: 512,
        maxQueueSize: 2048,
        scheduledDelayMillis: 60_000,
        exportTimeoutMillis: 1000,
      },
      {
        export(spans, done) {
          expect(spans.count).toBe(5);
          requests.push(spans.request);
          done({ code: 0 });
        },
        shutdown: async () => undefined,
      },
      systemClock,
    );
    const tracer = new LeanTracer(processor, new AlwaysOnSampler(), spanLimitsFromEnv({}));
    const ended: ReadableSpan[] = [];
    const end = (span: ReturnType<typeof tracer.startSpan>, time?: number) => {
      span.end(time);
      ended.push(span as unknown as ReadableSpan);
    };
    const server = tracer.startSpan(
      'POST /graphql',
      { kind: SpanKind.SERVER, attributes: { 'http.route': '/graphql' } },
      remoteParent('a=1'),
    );
    const parent = trace.setSpan(ROOT_CONTEXT, server);
    end(
      tracer.startSpan(
        'query Traced',
        { attributes: { 'graphql.source': 'query Traced { executions { id } } ünï ✓' } },
        parent,
      ),
    );
    const call = tracer.startSpan('GET DURABLE_WORKFLOW', { kind: SpanKind.CLIENT }, parent);
    call.setAttributes({ 'server.port': 4010, 'executions.cache.hit': false, ratio: 0.5 });
    call.addEvent('retry', { attempt: 2 });
    call.addLink({ context: { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 0 } });
    call.setStatus({ code: SpanStatusCode.ERROR, message: 'failed ✗' });
    end(call);
    const cached = tracer.startSpan('cache P', { startTime: Date.now() - 5 }, parent);
    end(cached, Date.now());
    end(tracer.startSpan('a root', { kind: SpanKind.PRODUCER }, ROOT_CONTEXT));
    server.setAttributes({ 'graphql.error.codes': ['NOT_FOUND', 'TIMEOUT'], ['x'.repeat(300)]: 1 });
    end(server);
    await processor.forceFlush();
    expect(requests).toHaveLength(1);
    const library = ProtobufTraceSerializer.serializeRequest(ended);
    expect(Buffer.from(requests[0]!).equals(Buffer.from(library!))).toBe(true);
    expect(Buffer.from(encodeTraceRequest(ended)).equals(Buffer.from(library!))).toBe(true);
  });
});
