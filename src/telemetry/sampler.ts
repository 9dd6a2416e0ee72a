import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace';
import { tracesSamplerOf, type TracesSampler } from '../config.js';

/**
 * The sampler `OTEL_TRACES_SAMPLER` names (default `parentbased_always_on`: a caller's decision
 * is followed, and a request without one is sampled), with `OTEL_TRACES_SAMPLER_ARG` the ratio
 * of the `traceidratio` ones (default 1), as `tracesSamplerOf` reads them. Bad values stop
 * start-up when the configuration is read, just after tracing starts; until then the default.
 * Only a request's or operation's server span is ever a root: every other span is started
 * under one (`./tracing.ts`).
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): Sampler {
  const read = tracesSamplerOf(env);
  const { name, ratio } =
    'problems' in read ? { name: 'parentbased_always_on' as const, ratio: 1 } : read;
  return configured(name, ratio);
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
