import {
  SpanStatusCode,
  TraceFlags,
  type Attributes,
  type AttributeValue,
  type HrTime,
  type Link,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type Tracer,
} from '@opentelemetry/api';
import type {
  IdGenerator,
  ReadableSpan,
  SpanLimits,
  SpanProcessor,
  TimedEvent,
} from '@opentelemetry/sdk-trace';

/**
 * Sampled spans, recorded as plain records rather than the SDK's spans, and handed at their end to the SDK's own span processor (its batch processor and
 * exporter), which reads them as the `ReadableSpan`s they are.
 *
 * Why: with every request sampled, the SDK's span was most of tracing's cost. Started and ended
 * alone, a bare one costs 1.6-2 µs (two clock readings and a time origin, its id checks, its
 * self-metrics' attribute objects, its processors' hooks), several times that between requests;
 * in the bench, records cut a sampled request's cost from about 25% to 17-18% (bench/RESULTS.md).
 *
 * A record does what the SDK's span does with what tracing.ts gives it: the SDK's span limits
 * (attribute count, string length); its times (the start by the epoch clock, the duration by
 * the performance clock; or the epoch milliseconds given); its ids (the SDK's `IdGenerator`);
 * attributes and status set until it ends and not after. It takes only tracing.ts's attributes
 * (strings, numbers, booleans, arrays of strings: nothing for the SDK to reject), and no events
 * or links. A root is recorded once `Sampling.root` has sampled it (the sampler's own rule), a
 * span continuing a caller's trace once the sampler has sampled it with no attributes or trace
 * state of its own (the standard samplers add none), and a child as its parent is (a parent-based
 * sampler's rule, and the others' on the same trace id). Everything else (a span not sampled,
 * the span processor, the resource) stays the SDK's.
 */
export class SpanRecords {
  private constructor(
    readonly processor: SpanProcessor,
    readonly resource: ReadableSpan['resource'],
    readonly scope: ReadableSpan['instrumentationScope'],
    /** The SDK's limits, a missing one (or a length limit not above 0) as none (Infinity). */
    readonly limits: { attributeCountLimit: number; attributeValueLengthLimit: number },
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Records for the SDK tracer `tracer` (its processor, resource, scope and span limits), or
   * undefined when it does not have them where SDK 2.12 keeps them: then every span stays the
   * SDK's.
   */
  static of(tracer: Tracer, ids: IdGenerator): SpanRecords | undefined {
    const sdk = tracer as Partial<{
      _spanProcessor: SpanProcessor;
      _resource: ReadableSpan['resource'];
      instrumentationScope: ReadableSpan['instrumentationScope'];
      _spanLimits: SpanLimits;
    }>;
    const { _spanProcessor: processor, _resource: resource, instrumentationScope: scope } = sdk;
    const limits = sdk._spanLimits;
    if (
      typeof processor?.onEnd !== 'function' ||
      typeof resource?.attributes !== 'object' ||
      typeof scope?.name !== 'string' ||
      typeof limits !== 'object'
    ) {
      return undefined;
    }
    return new SpanRecords(
      processor,
      resource,
      scope,
      {
        attributeCountLimit: limits.attributeCountLimit ?? Infinity,
        attributeValueLengthLimit:
          limits.attributeValueLengthLimit !== undefined && limits.attributeValueLengthLimit > 0
            ? limits.attributeValueLengthLimit
            : Infinity,
      },
      ids,
    );
  }

  /** A sampled root span: the sampler has decided it (tracing.ts asks only then). */
  root(name: string, kind: SpanKind): SpanRecord {
    return new SpanRecord(this, name, kind, undefined, this.ids.generateTraceId(), undefined);
  }

  /**
   * A span continuing a caller's trace (`parent`, valid), which the sampler sampled as it is
   * (tracing.ts asks only then).
   */
  continued(parent: SpanContext, name: string, kind: SpanKind): SpanRecord {
    return new SpanRecord(this, name, kind, parent, parent.traceId, undefined);
  }

  /** A child of `parent`, sampled as its parent is (a parent-based sampler's rule). */
  child(parent: SpanRecord, name: string, kind: SpanKind, startTime?: number): SpanRecord {
    const context = parent.spanContext();
    return new SpanRecord(this, name, kind, context, context.traceId, startTime);
  }

  /** A new span id, the SDK's way. */
  spanId(): string {
    return this.ids.generateSpanId();
  }
}

const NO_EVENTS: TimedEvent[] = [];
const NO_LINKS: Link[] = [];

/** Milliseconds since the epoch as an `HrTime`, as the SDK's `millisToHrTime`. */
function hrTime(ms: number): HrTime {
  const seconds = Math.trunc(ms / 1000);
  return [seconds, Math.round((ms % 1000) * 1e6)];
}

/**
 * One sampled span: for tracing.ts, the part of a `Span` it uses (context, attributes, status,
 * end; no events or links); once ended, a `ReadableSpan`.
 */
export class SpanRecord {
  readonly attributes: Attributes = {};
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly startTime: HrTime;
  endTime: HrTime = [0, 0];
  duration: HrTime = [0, 0];
  ended = false;
  droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  readonly events = NO_EVENTS;
  readonly links = NO_LINKS;
  readonly resource: ReadableSpan['resource'];
  readonly instrumentationScope: ReadableSpan['instrumentationScope'];
  private readonly context: SpanContext;
  private readonly startMs: number;
  /** The performance clock at the start, when no start time was given; else undefined. */
  private readonly startClock: number | undefined;
  private attributeCount = 0;
  private readonly records: SpanRecords;

  constructor(
    records: SpanRecords,
    readonly name: string,
    readonly kind: SpanKind,
    readonly parentSpanContext: SpanContext | undefined,
    traceId: string,
    /** Milliseconds since the epoch (else now, by the performance clock). */
    startTime: number | undefined,
  ) {
    this.records = records;
    this.resource = records.resource;
    this.instrumentationScope = records.scope;
    // The parent's trace state goes on, as the SDK's span carries it.
    this.context = { traceId, spanId: records.spanId(), traceFlags: TraceFlags.SAMPLED };
    if (parentSpanContext?.traceState) this.context.traceState = parentSpanContext.traceState;
    // As the SDK's span: the start on the epoch clock, the end that plus the performance
    // clock's duration (or the epoch clock's, when the start was given).
    this.startMs = startTime ?? Date.now();
    this.startClock = startTime === undefined ? performance.now() : undefined;
    this.startTime = hrTime(this.startMs);
  }

  spanContext(): SpanContext {
    return this.context;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (value == null || this.ended) return this;
    const { attributeCountLimit, attributeValueLengthLimit } = this.records.limits;
    const isNew = !Object.prototype.hasOwnProperty.call(this.attributes, key);
    if (isNew && this.attributeCount >= attributeCountLimit) {
      this.droppedAttributesCount += 1;
      return this;
    }
    this.attributes[key] =
      attributeValueLengthLimit === Infinity ? value : truncated(value, attributeValueLengthLimit);
    if (isNew) this.attributeCount += 1;
    return this;
  }

  setAttributes(attributes: Attributes): this {
    const keys = Object.keys(attributes);
    for (let i = 0; i < keys.length; i++) this.setAttribute(keys[i]!, attributes[keys[i]!]);
    return this;
  }

  /** As the SDK's: UNSET changes nothing, OK is final, a message only with ERROR. */
  setStatus(status: SpanStatus): this {
    if (this.ended || status.code === SpanStatusCode.UNSET) return this;
    if (this.status.code === SpanStatusCode.OK) return this;
    this.status =
      status.code === SpanStatusCode.ERROR && typeof status.message === 'string'
        ? { code: status.code, message: status.message }
        : { code: status.code };
    return this;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  /** Ends it at `endTime` (milliseconds since the epoch; else now) and hands it to the processor. */
  end(endTime?: number): void {
    if (this.ended) return;
    const endMs =
      endTime ??
      (this.startClock === undefined
        ? Date.now()
        : this.startMs + (performance.now() - this.startClock));
    this.endTime = hrTime(endMs);
    this.duration = hrTime(Math.max(0, endMs - this.startMs));
    if (endMs < this.startMs) this.endTime = this.startTime;
    this.ended = true;
    this.records.processor.onEnd(this as unknown as ReadableSpan);
  }
}

function truncated(value: AttributeValue, limit: number): AttributeValue {
  if (typeof value === 'string') return value.length > limit ? value.slice(0, limit) : value;
  if (Array.isArray(value)) {
    return value.map((item: unknown) =>
      typeof item === 'string' && item.length > limit ? item.slice(0, limit) : item,
    ) as AttributeValue;
  }
  return value;
}
