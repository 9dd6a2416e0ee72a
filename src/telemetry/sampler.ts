import {
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
import { tracesSamplerOf, type TracesSampler } from '../config.js';

const DROP: SamplingResult = { decision: SamplingDecision.NOT_RECORD };

/**
 * The sampler `OTEL_TRACES_SAMPLER` names (default `parentbased_always_on`: a caller's decision
 * is followed, and a request without one is sampled), with `OTEL_TRACES_SAMPLER_ARG` the ratio
 * of the `traceidratio` ones (default 1), as `tracesSamplerOf` reads them. Bad values stop
 * start-up when the configuration is read, just after tracing starts; until then the default.
 *
 * Whatever it is, a span with no parent is sampled only if it is of kind server: a trace starts
 * at a request or operation that came in, never at graphql-js's own parse, validate or execute
 * run outside one (building a schema, a subscription's later events).
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const read = tracesSamplerOf(env);
  const { name, ratio } =
    'problems' in read ? { name: 'parentbased_always_on' as const, ratio: 1 } : read;
  return new ServerRoots(configured(name, ratio));
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
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
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
