import {
  createTraceState,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Tracer,
} from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import {
  AlwaysOnSampler,
  InMemorySpanExporter,
  RandomIdGenerator,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanLimits,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { encodeTraceRequest } from '../../src/telemetry/otlp-protobuf.js';
import { SpanRecord, SpanRecords } from '../../src/telemetry/span-records.js';

/** The SDK's tracer over an in-memory exporter, and records made for it. */
function setUp(spanLimits: SpanLimits = {}) {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    sampler: new AlwaysOnSampler(),
    spanLimits,
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('executions-subgraph');
  const records = SpanRecords.of(tracer, new RandomIdGenerator());
  expect(records).toBeDefined();
  return { tracer, records: records!, spans: () => exporter.getFinishedSpans() as ReadableSpan[] };
}

/** The fields of an ended span that are not its ids or times. */
const shapeOf = (span: ReadableSpan) => ({
  name: span.name,
  kind: span.kind,
  attributes: span.attributes,
  droppedAttributesCount: span.droppedAttributesCount,
  status: span.status,
  events: span.events,
  links: span.links,
  droppedEventsCount: span.droppedEventsCount,
  droppedLinksCount: span.droppedLinksCount,
  ended: span.ended,
  resource: span.resource,
  instrumentationScope: span.instrumentationScope,
  sampled: span.spanContext().traceFlags,
});

describe('SpanRecords', () => {
  it('are made for the SDK tracer this project pins, and not for a tracer without its parts', () => {
    const { tracer } = setUp();
    expect(SpanRecords.of(tracer, new RandomIdGenerator())).toBeInstanceOf(SpanRecords);
    const other = { startSpan: () => undefined, startActiveSpan: () => undefined };
    expect(SpanRecords.of(other as unknown as Tracer, new RandomIdGenerator())).toBeUndefined();
  });

  it('end as the SDK’s spans end, with the same fields, under the span limits', () => {
    const { tracer, records, spans } = setUp({
      attributeCountLimit: 3,
      attributeValueLengthLimit: 5,
    });
    const write = (span: {
      setAttribute(key: string, value: unknown): unknown;
      setAttributes(values: Record<string, unknown>): unknown;
      setStatus(status: { code: SpanStatusCode; message?: string }): unknown;
      end(): void;
    }) => {
      span.setAttributes({ 'a.string': 'abcdefgh', 'a.number': 4010 });
      span.setAttribute('a.list', ['abcdefgh', 'ab']);
      span.setAttribute('a.dropped', true);
      span.setAttribute('a.string', 'xyz');
      span.setAttribute('a.none', undefined);
      span.setStatus({ code: SpanStatusCode.UNSET });
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'failed' });
      span.end();
      span.setAttribute('after.end', 1);
      span.setStatus({ code: SpanStatusCode.OK });
    };
    write(tracer.startSpan('POST /graphql', { kind: SpanKind.SERVER }, ROOT_CONTEXT));
    const record = records.root('POST /graphql', SpanKind.SERVER);
    write(record);
    const [sdk, ours] = spans();
    expect(ours).toBe(record);
    expect(shapeOf(ours!)).toEqual(shapeOf(sdk!));
    expect(ours!.attributes).toEqual({
      'a.string': 'xyz',
      'a.number': 4010,
      'a.list': ['abcde', 'ab'],
    });
    expect(ours!.droppedAttributesCount).toBe(1);
    expect(ours!.parentSpanContext).toBeUndefined();
  });

  it('give a child its parent’s trace and the parent’s span as parent, and the times given', () => {
    const { records, spans } = setUp();
    const root = records.root('POST /graphql', SpanKind.SERVER);
    const start = Date.now() - 5;
    const child = records.child(root, 'cache P', SpanKind.INTERNAL, start);
    child.end(start + 3);
    root.end();
    const [ended, parent] = spans();
    expect(ended!.spanContext().traceId).toBe(parent!.spanContext().traceId);
    expect(ended!.spanContext().spanId).not.toBe(parent!.spanContext().spanId);
    expect(ended!.parentSpanContext).toEqual(parent!.spanContext());
    expect(ended!.startTime).toEqual([Math.trunc(start / 1000), (start % 1000) * 1e6]);
    expect(ended!.duration).toEqual([0, 3e6]);
    // The root's start is now on the epoch clock; its end after it.
    const [seconds, nanos] = parent!.startTime;
    expect(Math.abs(seconds * 1000 + nanos / 1e6 - Date.now())).toBeLessThan(1000);
    expect(parent!.duration[0] >= 0 && parent!.duration[1] >= 0).toBe(true);
    expect(trace.getSpan(trace.setSpan(ROOT_CONTEXT, root as never))).toBe(root);
  });

  it('continue a caller’s trace with its trace state, as the SDK’s spans do', () => {
    const { tracer, records, spans } = setUp();
    const caller = {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
      traceState: createTraceState('vendor=a'),
    };
    const parent = trace.setSpanContext(ROOT_CONTEXT, caller);
    const sdk = tracer.startSpan('POST /graphql', { kind: SpanKind.SERVER }, parent);
    const sdkChild = tracer.startSpan('GET P', {}, trace.setSpan(ROOT_CONTEXT, sdk));
    const record = records.continued(caller, 'POST /graphql', SpanKind.SERVER);
    const child = records.child(record, 'GET P', SpanKind.INTERNAL);
    for (const span of [sdkChild, sdk, child, record]) span.end();
    const [sdkChildEnded, sdkEnded, childEnded, recordEnded] = spans();
    for (const [ours, theirs] of [
      [recordEnded!, sdkEnded!],
      [childEnded!, sdkChildEnded!],
    ] as const) {
      expect(ours.spanContext().traceId).toBe(theirs.spanContext().traceId);
      expect(ours.spanContext().traceState?.serialize()).toBe('vendor=a');
      expect(theirs.spanContext().traceState?.serialize()).toBe('vendor=a');
    }
    expect(recordEnded!.parentSpanContext).toBe(caller);
    expect(sdkEnded!.parentSpanContext).toBe(caller);
    expect(childEnded!.parentSpanContext).toEqual(recordEnded!.spanContext());
    const library = ProtobufTraceSerializer.serializeRequest([recordEnded!, childEnded!]);
    expect(
      Buffer.from(encodeTraceRequest([recordEnded!, childEnded!])).equals(Buffer.from(library!)),
    ).toBe(true);
  });

  it('are ended once, and encode to the bytes the library writes for them', () => {
    const { records, spans } = setUp();
    const root = records.root('POST /graphql', SpanKind.SERVER);
    const call = records.child(root, 'GET DURABLE_WORKFLOW', SpanKind.CLIENT);
    call.setAttributes({ 'server.port': 4010, 'executions.cache.hit': false, ratio: 0.5 });
    call.setStatus({ code: SpanStatusCode.ERROR, message: 'failed ✗' });
    call.end();
    call.end();
    root.setAttribute('graphql.error.codes', ['NOT_FOUND']);
    // OK is final, as the SDK has it.
    root.setStatus({ code: SpanStatusCode.OK });
    root.setStatus({ code: SpanStatusCode.ERROR, message: 'later' });
    root.end();
    const ended = spans();
    expect(ended).toHaveLength(2);
    expect(ended[1]!.status).toEqual({ code: SpanStatusCode.OK });
    expect(ended.every((span) => span instanceof SpanRecord)).toBe(true);
    const library = ProtobufTraceSerializer.serializeRequest(ended);
    expect(Buffer.from(encodeTraceRequest(ended)).equals(Buffer.from(library!))).toBe(true);
  });
});
