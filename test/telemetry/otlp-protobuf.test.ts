import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequest } from '../../src/telemetry/otlp-protobuf.js';

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
