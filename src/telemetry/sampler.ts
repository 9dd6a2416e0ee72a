import {
  INVALID_TRACEID,
  trace,
  TraceFlags,
  type Attributes,
  type Context,
  type Link,
  type SpanKind,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  RandomIdGenerator,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type IdGenerator,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace';
import { tracesSamplerOf, type TracesSampler } from '../config.js';

/**
 * Sampling as `OTEL_TRACES_SAMPLER` names it (default `parentbased_always_on`: a caller's decision
 * is followed, and a request without one is sampled), with `OTEL_TRACES_SAMPLER_ARG` the ratio
 * of the `traceidratio` ones (default 1), as `tracesSamplerOf` reads them. Bad values stop
 * start-up when the configuration is read, just after tracing starts; until then the default.
 * Only a request's or operation's server span is ever a root: every other span is started
 * under one (`./tracing.ts`).
 */
export interface Sampling {
  /** The SDK's sampler, which decides every span. */
  sampler: Sampler;
  /** The SDK's trace and span ids: random, as its own, but for the trace id `root` drew. */
  idGenerator: IdGenerator;
  /**
   * Whether a new root span (a request or operation that continues no trace) is sampled:
   * decided before any span exists, so that one that is not costs nothing more. It is exactly
   * the sampler's decision on the trace id the span then gets: `traceidratio` decides by the
   * trace id, so that id is drawn here, and when it is sampled `idGenerator` gives it next.
   */
  root(): boolean;
}

export function samplingFromEnv(env: NodeJS.ProcessEnv = process.env): Sampling {
  const read = tracesSamplerOf(env);
  const { name, ratio } =
    'problems' in read ? { name: 'parentbased_always_on' as const, ratio: 1 } : read;
  const ids = new RootIds();
  return { sampler: configured(name, ratio), idGenerator: ids, root: rootOf(name, ratio, ids) };
}

function configured(name: TracesSampler, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_off':
      return new LocalParentFirst(new AlwaysOffSampler());
    case 'parentbased_traceidratio':
      return new LocalParentFirst(new TraceIdRatioBasedSampler(ratio));
    case 'parentbased_always_on':
      return new LocalParentFirst(new AlwaysOnSampler());
  }
}

const SAMPLED: SamplingResult = { decision: SamplingDecision.RECORD_AND_SAMPLED };
const NOT_SAMPLED: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * The SDK's `ParentBasedSampler` with its default samplers, which follows a parent's sampled
 * flag. A local parent is a span this process started under a trace it checked: its child is
 * decided by the flag at once, without checking the parent's ids again (two regular expressions
 * per span). A remote parent, or none, goes to the SDK's sampler.
 */
class LocalParentFirst implements Sampler {
  private readonly parentBased: ParentBasedSampler;

  constructor(root: Sampler) {
    this.parentBased = new ParentBasedSampler({ root });
  }

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    const parent = trace.getSpanContext(context);
    if (parent !== undefined && parent.isRemote !== true && parent.traceId !== INVALID_TRACEID) {
      return parent.traceFlags & TraceFlags.SAMPLED ? SAMPLED : NOT_SAMPLED;
    }
    return this.parentBased.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return this.parentBased.toString();
  }
}

/** The decision `name`'s sampler makes for a span without a parent. */
function rootOf(name: TracesSampler, ratio: number, ids: RootIds): () => boolean {
  switch (name) {
    case 'always_on':
    case 'parentbased_always_on':
      return () => true;
    case 'always_off':
    case 'parentbased_always_off':
      return () => false;
    case 'traceidratio':
    case 'parentbased_traceidratio': {
      // TraceIdRatioBasedSampler's rule: the XOR of the trace id's four 32-bit words below
      // the ratio's share of 2^32.
      const bound = ratio >= 1 ? 0x100000000 : ratio <= 0 ? 0 : Math.floor(ratio * 0xffffffff);
      return () => {
        // The four words as the SDK's RandomIdGenerator draws them, never all zero (it sets
        // the last bit then).
        const w0 = (Math.random() * 2 ** 32) >>> 0;
        const w1 = (Math.random() * 2 ** 32) >>> 0;
        const w2 = (Math.random() * 2 ** 32) >>> 0;
        let w3 = (Math.random() * 2 ** 32) >>> 0;
        if ((w0 | w1 | w2 | w3) === 0) w3 = 1;
        if ((w0 ^ w1 ^ w2 ^ w3) >>> 0 >= bound) return false;
        ids.next = [w0, w1, w2, w3].map((word) => word.toString(16).padStart(8, '0')).join('');
        return true;
      };
    }
  }
}

/** The SDK's random ids, but the trace id `root` drew when it is set. */
class RootIds implements IdGenerator {
  /** The next trace id to give, once. */
  next: string | undefined;
  private readonly random = new RandomIdGenerator();

  generateTraceId(): string {
    const next = this.next;
    if (next === undefined) return this.random.generateTraceId();
    this.next = undefined;
    return next;
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}
