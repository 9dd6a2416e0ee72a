import {
  context as api,
  diag,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  SamplingDecision,
  SpanKind,
  SpanStatusCode,
  trace,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type Context,
  type Exception,
  type HrTime,
  type Link,
  type Span,
  type SpanAttributes,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
} from '@opentelemetry/api';
import {
  addHrTimes,
  hrTime,
  hrTimeDuration,
  isAttributeValue,
  isTimeInput,
  isTimeInputHrTime,
  isTracingSuppressed,
  millisToHrTime,
  sanitizeAttributes,
} from '@opentelemetry/core';
import {
  RandomIdGenerator,
  type ReadableSpan,
  type Sampler,
  type TimedEvent,
} from '@opentelemetry/sdk-trace';
import type { BatchProcessor } from './batch-processor.js';

/** The span limits, as the SDK's `SpanLimits` after its defaults. */
export interface SpanLimits {
  /** 128: attributes a span keeps; later new keys are dropped and counted. */
  attributeCountLimit: number;
  /** None (Infinity): characters a string attribute keeps, in arrays too. */
  attributeValueLengthLimit: number;
  /** 128: events a span keeps; a new one pushes out the oldest. */
  eventCountLimit: number;
  /** 128: links a span keeps; a new one pushes out the oldest. */
  linkCountLimit: number;
  /** 128: attributes an event keeps. */
  attributePerEventCountLimit: number;
  /** 128: attributes a link keeps. */
  attributePerLinkCountLimit: number;
}

/** The `OTEL_*_LIMIT` variables as the Node SDK reads them (any number; else the default). */
export function spanLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): SpanLimits {
  const number = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') return undefined;
    const value = Number(raw);
    if (Number.isNaN(value)) {
      diag.warn(`Unknown value '${raw}' for ${name}, expected a number, using defaults`);
      return undefined;
    }
    return value;
  };
  return {
    attributeCountLimit:
      number('OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT') ?? number('OTEL_ATTRIBUTE_COUNT_LIMIT') ?? 128,
    attributeValueLengthLimit:
      number('OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT') ??
      number('OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT') ??
      Infinity,
    eventCountLimit: number('OTEL_SPAN_EVENT_COUNT_LIMIT') ?? 128,
    linkCountLimit: number('OTEL_SPAN_LINK_COUNT_LIMIT') ?? 128,
    attributePerEventCountLimit: number('OTEL_SPAN_ATTRIBUTE_PER_EVENT_COUNT_LIMIT') ?? 128,
    attributePerLinkCountLimit: number('OTEL_SPAN_ATTRIBUTE_PER_LINK_COUNT_LIMIT') ?? 128,
  };
}

const ids = new RandomIdGenerator();

/**
 * The SDK's Tracer, for one processor: the same sampling (the parent in `context`, trace id,
 * trace state, the sampler's decision, attributes and trace state), ids, limits and times, with
 * less per span: no metrics, no copies of the options beyond the attributes the sampler sees, one
 * clock reading per start and end. A span's parent is given, not taken from an active context:
 * `startActiveSpan` starts the span and calls its function with it.
 */
export class LeanTracer implements Tracer {
  constructor(
    private readonly processor: BatchProcessor,
    private readonly sampler: Sampler,
    private readonly limits: SpanLimits,
  ) {}

  startSpan(name: string, options: SpanOptions = {}, context: Context = api.active()): Span {
    if (options.root) context = trace.deleteSpan(context);
    if (isTracingSuppressed(context)) return trace.wrapSpanContext(INVALID_SPAN_CONTEXT);
    const parentSpan = trace.getSpan(context);
    const parent = parentSpan?.spanContext();
    const spanId = ids.generateSpanId();
    const valid = parent !== undefined && isSpanContextValid(parent);
    const traceId = valid ? parent.traceId : ids.generateTraceId();
    const kind = options.kind ?? SpanKind.INTERNAL;
    const links = (options.links ?? []).map((link) => ({
      context: link.context,
      attributes: sanitizeAttributes(link.attributes),
    }));
    const attributes = sanitizeAttributes(options.attributes);
    const sampling = this.sampler.shouldSample(context, traceId, name, kind, attributes, links);
    const spanContext: SpanContext = {
      traceId,
      spanId,
      traceFlags:
        sampling.decision === SamplingDecision.RECORD_AND_SAMPLED
          ? TraceFlags.SAMPLED
          : TraceFlags.NONE,
      traceState: sampling.traceState ?? (valid ? parent.traceState : undefined),
    };
    if (sampling.decision === SamplingDecision.NOT_RECORD) {
      return trace.wrapSpanContext(spanContext);
    }
    const span = new LeanSpan(
      this.processor,
      this.limits,
      spanContext,
      valid ? parent : undefined,
      name,
      kind,
      options.startTime,
      // A local parent's offset between the clocks serves its children.
      parentSpan instanceof LeanSpan ? parentSpan.offset : undefined,
    );
    for (const link of links) span.addLink(link);
    span.setAttributes(attributes);
    if (sampling.attributes) span.setAttributes(sampling.attributes);
    return span;
  }

  startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    options: SpanOptions,
    context: Context,
    fn: F,
  ): ReturnType<F>;
  startActiveSpan<F extends (span: Span) => unknown>(
    name: string,
    ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]
  ): ReturnType<F> {
    const fn = rest[rest.length - 1] as (span: Span) => ReturnType<F>;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const context = rest.length > 2 ? (rest[1] as Context) : api.active();
    const span = this.startSpan(name, options, context);
    return api.with(trace.setSpan(context, span), fn, undefined, span);
  }
}

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });

/**
 * A recording span: the API's `Span` to the code that records it, the SDK's `ReadableSpan` to
 * the encoder. `end` hands it to the processor, which encodes it then and there and keeps no
 * reference.
 */
class LeanSpan implements Span, ReadableSpan {
  readonly attributes: Attributes = {};
  events: TimedEvent[] = [];
  links: Link[] = [];
  status: SpanStatus = UNSET;
  endTime: HrTime = [0, 0];
  ended = false;
  droppedAttributesCount = 0;
  droppedEventsCount = 0;
  droppedLinksCount = 0;
  /** `Date.now()` minus the time `performance.now()` says, in ms. */
  readonly offset: number;
  private attributeCount = 0;
  /** `performance.now()` as the span started. */
  private readonly startedAt: number;
  private readonly startTimeProvided: boolean;
  private start: HrTime | undefined;

  constructor(
    private readonly processor: BatchProcessor,
    private readonly limits: SpanLimits,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    public name: string,
    readonly kind: SpanKind,
    startTime: TimeInput | undefined,
    offset: number | undefined,
  ) {
    this.startedAt = performance.now();
    this.offset = offset ?? Date.now() - (this.startedAt + performance.timeOrigin);
    this.startTimeProvided = startTime != null;
    if (this.startTimeProvided) this.start = this.timeOf(startTime);
  }

  get resource(): ReadableSpan['resource'] {
    return this.processor.resource;
  }

  get instrumentationScope(): ReadableSpan['instrumentationScope'] {
    return this.processor.scope;
  }

  get startTime(): HrTime {
    return (this.start ??= hrTime(this.startedAt + this.offset));
  }

  get duration(): HrTime {
    return this.ended ? hrTimeDuration(this.startTime, this.endTime) : [-1, -1];
  }

  spanContext(): SpanContext {
    return this.context;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  setAttribute(key: string, value: SpanAttributes[string]): this {
    if (value == null || this.ended) return this;
    if (key.length === 0) {
      diag.warn(`Invalid attribute key: ${key}`);
      return this;
    }
    if (!isAttributeValue(value)) {
      diag.warn(`Invalid attribute value set for key: ${key}`);
      return this;
    }
    const isNew = !Object.prototype.hasOwnProperty.call(this.attributes, key);
    if (isNew && this.attributeCount >= this.limits.attributeCountLimit) {
      this.droppedAttributesCount += 1;
      return this;
    }
    this.attributes[key] = this.truncated(value);
    if (isNew) this.attributeCount += 1;
    return this;
  }

  setAttributes(attributes: SpanAttributes): this {
    for (const key in attributes) {
      if (Object.prototype.hasOwnProperty.call(attributes, key)) {
        this.setAttribute(key, attributes[key]);
      }
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: SpanAttributes | TimeInput, time?: TimeInput): this {
    if (this.ended) return this;
    const { eventCountLimit, attributePerEventCountLimit } = this.limits;
    if (eventCountLimit === 0) {
      this.droppedEventsCount += 1;
      return this;
    }
    if (this.events.length >= eventCountLimit) {
      this.events.shift();
      this.droppedEventsCount += 1;
    }
    if (isTimeInput(attributesOrTime)) {
      if (!isTimeInput(time)) time = attributesOrTime;
      attributesOrTime = undefined;
    }
    const { attributes, dropped } = this.limited(
      attributesOrTime as SpanAttributes | undefined,
      attributePerEventCountLimit,
    );
    this.events.push({
      name,
      attributes,
      time: this.timeOf(time),
      droppedAttributesCount: dropped,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.ended) return this;
    const { linkCountLimit, attributePerLinkCountLimit } = this.limits;
    if (linkCountLimit === 0) {
      this.droppedLinksCount += 1;
      return this;
    }
    if (this.links.length >= linkCountLimit) {
      this.links.shift();
      this.droppedLinksCount += 1;
    }
    const { attributes, dropped } = this.limited(link.attributes, attributePerLinkCountLimit);
    const kept: Link = { context: link.context };
    if (Object.keys(attributes).length > 0) kept.attributes = attributes;
    if (dropped > 0) kept.droppedAttributesCount = dropped;
    this.links.push(kept);
    return this;
  }

  addLinks(links: Link[]): this {
    for (const link of links) this.addLink(link);
    return this;
  }

  /** UNSET changes nothing, OK is final, and only ERROR has a message (a string). */
  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET) return this;
    if (this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  updateName(name: string): this {
    if (!this.ended) this.name = name;
    return this;
  }

  recordException(exception: Exception, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception) {
      if (exception.code) attributes['exception.type'] = exception.code.toString();
      else if (exception.name) attributes['exception.type'] = exception.name;
      if (exception.message) attributes['exception.message'] = exception.message;
      if (exception.stack) attributes['exception.stacktrace'] = exception.stack;
    }
    if (attributes['exception.type'] || attributes['exception.message']) {
      this.addEvent('exception', attributes, time);
    } else {
      diag.warn(`Failed to record an exception ${String(exception)}`);
    }
  }

  end(endTime?: TimeInput): void {
    if (this.ended) {
      diag.error(
        `${this.name} ${this.context.traceId}-${this.context.spanId} - You can only call end() on a span once.`,
      );
      return;
    }
    const end = this.timeOf(endTime);
    const start = this.startTime;
    // An end before the start, as the SDK has it: a span of no duration.
    this.endTime = hrTimeDuration(start, end)[0] < 0 ? [start[0], start[1]] : end;
    this.ended = true;
    this.processor.onEnd(this);
  }

  /** The SDK's reading of a time input: epoch or `performance.now()` ms, a Date, an HrTime. */
  private timeOf(input: TimeInput | undefined): HrTime {
    if (typeof input === 'number') {
      return input <= performance.now() ? hrTime(input + this.offset) : millisToHrTime(input);
    }
    if (input instanceof Date) return millisToHrTime(input.getTime());
    if (isTimeInputHrTime(input)) return input;
    if (this.startTimeProvided) return millisToHrTime(Date.now());
    return addHrTimes(this.startTime, millisToHrTime(performance.now() - this.startedAt));
  }

  /** A string (or each string in an array) cut to the value length limit. */
  private truncated(value: AttributeValue): AttributeValue {
    const limit = this.limits.attributeValueLengthLimit;
    if (!(limit > 0) || limit === Infinity) return value;
    if (typeof value === 'string') return value.length <= limit ? value : value.slice(0, limit);
    if (Array.isArray(value)) {
      return value.map((item: unknown) =>
        typeof item === 'string' && item.length > limit ? item.slice(0, limit) : item,
      ) as AttributeValue;
    }
    return value;
  }

  /** An event's or link's valid attributes, at most `limit`, truncated; and how many were not kept. */
  private limited(
    given: SpanAttributes | undefined,
    limit: number,
  ): { attributes: Attributes; dropped: number } {
    const sanitized = sanitizeAttributes(given);
    const attributes: Attributes = {};
    let kept = 0;
    let dropped = 0;
    for (const key in sanitized) {
      if (!Object.prototype.hasOwnProperty.call(sanitized, key)) continue;
      if (kept >= limit) {
        dropped += 1;
        continue;
      }
      attributes[key] = this.truncated(sanitized[key]!);
      kept += 1;
    }
    return { attributes, dropped };
  }
}
