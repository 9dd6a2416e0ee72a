import {
  INVALID_SPAN_CONTEXT,
  ROOT_CONTEXT,
  SamplingDecision,
  SpanKind,
  trace,
  TraceFlags,
} from '@opentelemetry/api';
import { AlwaysOnSampler, ParentBasedSampler } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { samplingFromEnv } from '../../src/telemetry/sampler.js';

afterEach(() => void vi.restoreAllMocks());

/** The SDK sampler's decision for a root span of `traceId`. */
function decided(sampler: ReturnType<typeof samplingFromEnv>['sampler'], traceId: string) {
  return sampler.shouldSample(ROOT_CONTEXT, traceId, 'POST /graphql', SpanKind.SERVER, {}, [])
    .decision;
}

describe('samplingFromEnv: the root decision', () => {
  it('is the sampler’s own decision on the trace id the root span then gets (traceidratio)', () => {
    for (const name of ['parentbased_traceidratio', 'traceidratio']) {
      const sampling = samplingFromEnv({
        OTEL_TRACES_SAMPLER: name,
        OTEL_TRACES_SAMPLER_ARG: '0.3',
      });
      let sampled = 0;
      for (let i = 0; i < 4000; i++) {
        // The four words `root` draws, kept to build the trace id they make.
        const draws = [Math.random(), Math.random(), Math.random(), Math.random()];
        const random = vi.spyOn(Math, 'random');
        for (const draw of draws) random.mockReturnValueOnce(draw);
        const root = sampling.root();
        random.mockRestore();
        const traceId = draws
          .map((draw) => ((draw * 2 ** 32) >>> 0).toString(16).padStart(8, '0'))
          .join('');
        expect(decided(sampling.sampler, traceId)).toBe(
          root ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.NOT_RECORD,
        );
        if (root) {
          sampled += 1;
          // The SDK's next root span gets that trace id, once.
          expect(sampling.idGenerator.generateTraceId()).toBe(traceId);
        }
        expect(sampling.idGenerator.generateTraceId()).not.toBe(traceId);
      }
      expect(sampled / 4000).toBeGreaterThan(0.25);
      expect(sampled / 4000).toBeLessThan(0.35);
    }
  });

  it('gives an all-zero draw the trace id the SDK would (its last bit set)', () => {
    const sampling = samplingFromEnv({
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '1',
    });
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(sampling.root()).toBe(true);
    vi.restoreAllMocks();
    expect(sampling.idGenerator.generateTraceId()).toBe(`${'0'.repeat(31)}1`);
  });

  it('samples every root with always_on and the default, and none with always_off', () => {
    for (const [env, expected] of [
      [{}, true],
      [{ OTEL_TRACES_SAMPLER: 'always_on' }, true],
      [{ OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, true],
      [{ OTEL_TRACES_SAMPLER: 'always_off' }, false],
      [{ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, false],
      [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, false],
    ] as const) {
      const sampling = samplingFromEnv(env);
      expect(Array.from({ length: 50 }, () => sampling.root())).toEqual(
        Array.from({ length: 50 }, () => expected),
      );
    }
  });

  it('gives random ids when no root was drawn', () => {
    const { idGenerator } = samplingFromEnv({});
    const traceIds = new Set(Array.from({ length: 100 }, () => idGenerator.generateTraceId()));
    expect(traceIds.size).toBe(100);
    for (const id of traceIds) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(idGenerator.generateSpanId()).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('samplingFromEnv: a parent-based sampler', () => {
  it('decides as the SDK’s ParentBasedSampler, for local, remote, invalid and no parents', () => {
    const sdk = new ParentBasedSampler({ root: new AlwaysOnSampler() });
    const { sampler } = samplingFromEnv({});
    const parent = (traceFlags: number, isRemote?: boolean) =>
      trace.setSpanContext(ROOT_CONTEXT, {
        traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
        spanId: '00f067aa0ba902b7',
        traceFlags,
        ...(isRemote === undefined ? {} : { isRemote }),
      });
    const contexts = [
      parent(TraceFlags.SAMPLED),
      parent(TraceFlags.NONE),
      parent(TraceFlags.SAMPLED, false),
      parent(TraceFlags.NONE, true),
      parent(TraceFlags.SAMPLED, true),
      trace.setSpanContext(ROOT_CONTEXT, INVALID_SPAN_CONTEXT),
      ROOT_CONTEXT,
    ];
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const decisions = (s: typeof sampler) =>
      contexts.map(
        (context) =>
          s.shouldSample(context, traceId, 'GET DURABLE_WORKFLOW', SpanKind.CLIENT, {}, [])
            .decision,
      );
    expect(decisions(sampler)).toEqual(decisions(sdk));
    expect(decisions(sampler)).toEqual([
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.NOT_RECORD,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
      SamplingDecision.RECORD_AND_SAMPLED,
    ]);
  });
});
