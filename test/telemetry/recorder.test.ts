import {
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Span,
  type SpanStatus,
} from '@opentelemetry/api';
import { ExportResultCode, TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { BatchProcessor, type BatchSettings } from '../../src/telemetry/batch-processor.js';
import { LeanTracer, spanLimitsFromEnv } from '../../src/telemetry/recorder.js';

const SETTINGS: BatchSettings = {
  maxExportBatchSize: 512,
  maxQueueSize: 2048,
  scheduledDelayMillis: 60_000,
  exportTimeoutMillis: 1000,
};

/** A lean tracer whose processor counts the spans it sends. */
function tracerOf(sampler: Sampler = new AlwaysOnSampler(), env: NodeJS.ProcessEnv = {}) {
  let sent = 0;
  const processor = new BatchProcessor(
    resourceFromAttributes({ 'service.name': 'test' }),
    { name: 'test' },
    SETTINGS,
    {
      export(spans, done) {
        sent += spans.count;
        done({ code: ExportResultCode.SUCCESS });
      },
      shutdown: async () => undefined,
    },
    systemClock,
  );
  const tracer = new LeanTracer(processor, sampler, spanLimitsFromEnv(env));
  return {
    tracer,
    sent: async () => {
      await processor.forceFlush();
      return sent;
    },
  };
}

const readable = (span: Span) => span as unknown as ReadableSpan;

const CALLER = {
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  isRemote: true,
  traceState: new TraceState('vendor=1'),
};

describe('LeanTracer', () => {
  it('continues a remote parent: its trace id, trace state and sampled flag, and it as the parent', async () => {
    const { tracer, sent } = tracerOf(new ParentBasedSampler({ root: new AlwaysOffSampler() }));
    const parent = trace.setSpanContext(ROOT_CONTEXT, {
      ...CALLER,
      traceFlags: TraceFlags.SAMPLED,
    });
    const span = tracer.startSpan('POST /graphql', { kind: SpanKind.SERVER }, parent);
    expect(span.isRecording()).toBe(true);
    expect(span.spanContext()).toMatchObject({
      traceId: CALLER.traceId,
      traceFlags: TraceFlags.SAMPLED,
    });
    expect(span.spanContext().spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(span.spanContext().traceState?.serialize()).toBe('vendor=1');
    expect(readable(span).parentSpanContext).toMatchObject({ spanId: CALLER.spanId });
    const child = tracer.startSpan('GET P', {}, trace.setSpan(ROOT_CONTEXT, span));
    expect(readable(child).parentSpanContext?.spanId).toBe(span.spanContext().spanId);
    child.end();
    span.end();
    expect(await sent()).toBe(2);
  });

  it('records nothing where the sampler says so, and still passes the trace on', async () => {
    const { tracer, sent } = tracerOf(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    const parent = trace.setSpanContext(ROOT_CONTEXT, { ...CALLER, traceFlags: TraceFlags.NONE });
    const span = tracer.startSpan('POST /graphql', {}, parent);
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext()).toMatchObject({
      traceId: CALLER.traceId,
      traceFlags: TraceFlags.NONE,
    });
    span.setAttribute('ignored', 1);
    span.end();
    expect(await sent()).toBe(0);
  });

  it('starts a new trace without a valid parent', () => {
    const { tracer } = tracerOf();
    const first = tracer.startSpan('a', {}, ROOT_CONTEXT).spanContext();
    const second = tracer.startSpan('b', {}, ROOT_CONTEXT).spanContext();
    expect(first.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(first.traceId).not.toBe(second.traceId);
    expect(first.traceFlags).toBe(TraceFlags.SAMPLED);
  });

  it('adds the sampler’s attributes over the given ones, and takes its trace state', () => {
    const sampler: Sampler = {
      shouldSample: () => ({
        decision: SamplingDecision.RECORD_AND_SAMPLED,
        attributes: { 'sampler.rate': 4, given: 'sampler' },
        traceState: new TraceState('sampler=yes'),
      }),
      toString: () => 'annotating',
    };
    const { tracer } = tracerOf(sampler);
    const parent = trace.setSpanContext(ROOT_CONTEXT, { ...CALLER, traceFlags: 1 });
    const span = tracer.startSpan('s', { attributes: { given: 'options', other: true } }, parent);
    expect(readable(span).attributes).toEqual({
      given: 'sampler',
      other: true,
      'sampler.rate': 4,
    });
    expect(span.spanContext().traceState?.serialize()).toBe('sampler=yes');
  });
});

describe('LeanSpan', () => {
  it('keeps the attribute count limit, counting the new keys it drops, and cuts long strings', () => {
    const { tracer } = tracerOf(undefined, {
      OTEL_ATTRIBUTE_COUNT_LIMIT: '3',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4',
    });
    const span = tracer.startSpan('s', { attributes: { a: 'abcdefgh', b: ['long one', 'x'] } });
    span.setAttribute('c', true);
    span.setAttribute('d', 1);
    span.setAttribute('e', 2);
    span.setAttribute('a', 'newer value');
    expect(readable(span).attributes).toEqual({ a: 'newe', b: ['long', 'x'], c: true });
    expect(readable(span).droppedAttributesCount).toBe(2);
  });

  it('ignores empty keys, missing and invalid values, and everything after end', () => {
    const { tracer } = tracerOf();
    const span = tracer.startSpan('s');
    span.setAttribute('', 'x');
    span.setAttribute('missing', undefined as unknown as string);
    span.setAttributes({ mixed: [1, 'a'] as unknown as string[], object: {} as string, ok: 1 });
    span.end();
    span.setAttribute('late', 1);
    span.setStatus({ code: SpanStatusCode.ERROR });
    span.updateName('renamed');
    span.addEvent('late');
    const endTime = readable(span).endTime;
    span.end();
    expect(readable(span)).toMatchObject({
      name: 's',
      attributes: { ok: 1 },
      status: { code: SpanStatusCode.UNSET },
      events: [],
      endTime,
    });
    expect(span.isRecording()).toBe(false);
  });

  it('follows the SDK’s status rules: UNSET changes nothing, OK is final, a message only for ERROR', () => {
    const { tracer } = tracerOf();
    const statusAfter = (...statuses: SpanStatus[]) => {
      const span = tracer.startSpan('s');
      for (const status of statuses) span.setStatus(status);
      return readable(span).status;
    };
    expect(statusAfter({ code: SpanStatusCode.ERROR, message: 'bad' })).toEqual({
      code: SpanStatusCode.ERROR,
      message: 'bad',
    });
    expect(
      statusAfter({ code: SpanStatusCode.ERROR, message: 'bad' }, { code: SpanStatusCode.UNSET }),
    ).toEqual({ code: SpanStatusCode.ERROR, message: 'bad' });
    expect(
      statusAfter({ code: SpanStatusCode.OK, message: 'fine' }, { code: SpanStatusCode.ERROR }),
    ).toEqual({ code: SpanStatusCode.OK });
    expect(statusAfter({ code: SpanStatusCode.ERROR, message: 7 as unknown as string })).toEqual({
      code: SpanStatusCode.ERROR,
    });
  });

  it('takes explicit times in epoch ms, Date and HrTime, and ends at its start when given an earlier end', () => {
    const { tracer } = tracerOf();
    const cached = tracer.startSpan('cache P', { startTime: 1_700_000_000_123 });
    cached.end(new Date(1_700_000_000_456));
    expect(readable(cached).startTime).toEqual([1_700_000_000, 123_000_000]);
    expect(readable(cached).endTime).toEqual([1_700_000_000, 456_000_000]);
    const backwards = tracer.startSpan('s', { startTime: [1_700_000_001, 5] });
    backwards.end(1_700_000_000_000);
    expect(readable(backwards).endTime).toEqual([1_700_000_001, 5]);
    const timed = tracer.startSpan('now');
    timed.end();
    const [start, end] = [readable(timed).startTime, readable(timed).endTime];
    const epochMs = start[0] * 1000 + start[1] / 1e6;
    expect(Math.abs(epochMs - Date.now())).toBeLessThan(1000);
    expect(end[0] * 1e9 + end[1]).toBeGreaterThanOrEqual(start[0] * 1e9 + start[1]);
  });

  it('keeps events, links and exceptions within their limits', () => {
    const { tracer } = tracerOf(undefined, {
      OTEL_SPAN_EVENT_COUNT_LIMIT: '2',
      OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT: '1',
    });
    const link = { context: { ...CALLER, traceFlags: 1 }, attributes: { a: 1, b: 2 } };
    const span = tracer.startSpan('s', { links: [link] });
    span.addEvent('first', 1_700_000_000_000);
    span.addEvent('second', { n: 2 });
    span.recordException(new TypeError('no such thing'));
    const { events, links, droppedEventsCount } = readable(span);
    expect(events.map((event) => event.name)).toEqual(['second', 'exception']);
    expect(events[1]!.attributes).toMatchObject({
      'exception.type': 'TypeError',
      'exception.message': 'no such thing',
    });
    expect(droppedEventsCount).toBe(1);
    expect(links).toEqual([
      { context: link.context, attributes: { a: 1 }, droppedAttributesCount: 1 },
    ]);
  });
});
