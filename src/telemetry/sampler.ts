import {
  diag,
  isSpanContextValid,
  SpanKind,
  trace,
  type Attributes,
  type Context,
  type Link,
} from '@opentelemetry/api';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SamplingResult,
} from '@opentelemetry/sdk-trace';

const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * The sampler `OTEL_TRACES_SAMPLER` names (default `parentbased_always_on`: a caller's decision
 * is followed, and a request without one is sampled), with `OTEL_TRACES_SAMPLER_ARG` the ratio
 * of the `traceidratio` ones (default 1; outside 0..1, 1). The standard names only: an unknown
 * one is reported (`diag`) and the default used.
 *
 * Whatever it is, a span with no parent is sampled only if it is of kind server: a trace starts
 * at a request or operation that came in, never at graphql-js's own parse, validate or execute
 * run outside one (building a schema, a subscription's later events).
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  return new ServerRoots(configured(env));
}

function configured(env: NodeJS.ProcessEnv): Sampler {
  const name = env.OTEL_TRACES_SAMPLER?.trim() || 'parentbased_always_on';
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio(env));
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio(env)) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    default:
      diag.error(
        `OTEL_TRACES_SAMPLER=${name} is not one this service knows (always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio): using parentbased_always_on.`,
      );
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

function ratio(env: NodeJS.ProcessEnv): number {
  const text = env.OTEL_TRACES_SAMPLER_ARG?.trim();
  // Unset, the standard's default: 1.
  if (!text) return 1;
  const value = Number(text);
  if (Number.isFinite(value) && value >= 0 && value <= 1) return value;
  diag.error(
    `OTEL_TRACES_SAMPLER_ARG=${text ?? ''} is not a ratio from 0 to 1: every trace is sampled.`,
  );
  return 1;
}

/** `inner`, for spans of kind server and spans with a parent; other roots are dropped. */
class ServerRoots implements Sampler {
  constructor(private readonly inner: Sampler) {}

  shouldSample(
    context: Context,
    traceId: string,
    name: string,
    kind: SpanKind,
    attributes: Attributes,
    links: Link[],
  ): SamplingResult {
    if (kind !== SpanKind.SERVER) {
      const parent = trace.getSpanContext(context);
      if (!parent || !isSpanContextValid(parent)) return DROP;
    }
    return this.inner.shouldSample(context, traceId, name, kind, attributes, links);
  }

  toString(): string {
    return `ServerRoots{${this.inner.toString()}}`;
  }
}
