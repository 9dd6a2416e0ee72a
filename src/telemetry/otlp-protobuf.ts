import type { Attributes, HrTime, Link, SpanContext, SpanStatus } from '@opentelemetry/api';
import {
  createOtlpNetworkExportDelegate,
  ExporterMetrics,
  OTLPExporterBase,
  OTLPExporterError,
} from '@opentelemetry/otlp-exporter-base';
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http';
import {
  ProtobufTraceSerializer,
  TraceExporterMetricsHelper,
} from '@opentelemetry/otlp-transformer';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace';
import { systemClock } from '../clock.js';
import { retrying, undiciTransport } from './otlp-transport.js';

/**
 * The OTLP/HTTP protobuf span exporter, as `@opentelemetry/exporter-trace-otlp-proto` builds it
 * (endpoint, headers, timeout, compression and concurrency from the `OTEL_EXPORTER_OTLP_*`
 * variables), with `encodeTraceRequest` as its encoder. To an `http:` endpoint it sends over
 * undici (`./otlp-transport.ts`: why); to an `https:` one over the SDK's transport, which also
 * reads the `OTEL_EXPORTER_OTLP_*CERTIFICATE*` and client key variables.
 */
export function protobufSpanExporter(): SpanExporter {
  const options = convertLegacyHttpOptions({}, 'TRACES', 'v1/traces', {
    'Content-Type': 'application/x-protobuf',
  });
  const serializer = {
    serializeRequest: encodeTraceRequest,
    deserializeResponse: (data: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(data),
  };
  const componentType = 'otlp_http_span_exporter';
  if (new URL(options.url).protocol !== 'http:') {
    return new OTLPExporterBase(
      createOtlpHttpExportDelegate(
        options,
        serializer,
        componentType,
        TraceExporterMetricsHelper,
        undefined,
      ),
    );
  }
  // The SDK's own exporter metrics (to the global meter provider: none here), as it builds them.
  const metrics = new ExporterMetrics({
    componentType,
    metricsHelper: TraceExporterMetricsHelper,
    url: options.url,
    meterProvider: undefined,
    responseAttributesFromError: (error) =>
      error === undefined
        ? { 'http.response.status_code': 200 }
        : error instanceof OTLPExporterError
          ? { 'http.response.status_code': error.code }
          : {},
  });
  const transport = retrying(
    undiciTransport(
      {
        url: options.url,
        headers: options.headers,
        compression: options.compression === 'gzip' ? 'gzip' : 'none',
        concurrencyLimit: options.concurrencyLimit,
      },
      systemClock,
    ),
    systemClock,
  );
  return new OTLPExporterBase(
    createOtlpNetworkExportDelegate(options, serializer, metrics, transport),
  );
}

/**
 * OTLP's `ExportTraceServiceRequest`, protobuf-encoded from the SDK's spans: the same bytes as
 * `@opentelemetry/otlp-transformer`'s `ProtobufTraceSerializer` (the tracing tests compare them),
 * written in one pass into a reused buffer, with strings and ids written by `Buffer`'s native
 * `write` (utf8, hex). The library's writer estimates every message's size first and
 * then copies strings and ids byte by byte in JavaScript: with every request sampled, its
 * encoding was the largest single cost of tracing (bench/RESULTS.md); this one takes half the
 * time or less.
 *
 * Each length-delimited message gets one byte for its length, moved up when the length needs
 * more (a message of 128 bytes or more): a copy of bytes already written, done natively.
 */
export function encodeTraceRequest(spans: readonly ReadableSpan[]): Uint8Array {
  const writer = new Writer();
  const byResource = new Map<unknown, Map<ReadableSpan['instrumentationScope'], ReadableSpan[]>>();
  for (const span of spans) {
    let scopes = byResource.get(span.resource);
    if (!scopes) byResource.set(span.resource, (scopes = new Map()));
    let list = scopes.get(span.instrumentationScope);
    if (!list) scopes.set(span.instrumentationScope, (list = []));
    list.push(span);
  }
  for (const scopes of byResource.values()) {
    const resource = scopes.values().next().value![0]!.resource;
    // ExportTraceServiceRequest.resource_spans
    const resourceSpans = writer.open(1);
    const resourceAt = writer.open(1);
    if (resource.attributes) writer.attributes(resource.attributes, 1);
    writer.tag(2, 0);
    writer.varint(0);
    writer.close(resourceAt);
    for (const list of scopes.values()) {
      const scope = list[0]!.instrumentationScope;
      const scopeSpans = writer.open(2);
      const scopeAt = writer.open(1);
      writer.tag(1, 2);
      writer.string(scope.name);
      if (scope.version) {
        writer.tag(2, 2);
        writer.string(scope.version);
      }
      const scopeAttributes = (scope as { attributes?: Attributes }).attributes;
      if (scopeAttributes) writer.attributes(scopeAttributes, 3);
      const droppedScope = (scope as { droppedAttributesCount?: number }).droppedAttributesCount;
      if (droppedScope) {
        writer.tag(4, 0);
        writer.varint(droppedScope);
      }
      writer.close(scopeAt);
      for (const span of list) writeSpan(writer, span);
      if (scope.schemaUrl) {
        writer.tag(3, 2);
        writer.string(scope.schemaUrl);
      }
      writer.close(scopeSpans);
    }
    if (resource.schemaUrl) {
      writer.tag(3, 2);
      writer.string(resource.schemaUrl);
    }
    writer.close(resourceSpans);
  }
  return writer.finish();
}

/** OTLP's span flags: the W3C trace flags, and whether the parent is remote. */
function flagsOf(traceFlags: number, isRemote: boolean | undefined): number {
  return (traceFlags & 0xff) | 0x100 | (isRemote ? 0x200 : 0);
}

/** A span's or link's fields 1-3: trace id, span id, and trace state when there is one. */
function writeContext(writer: Writer, context: SpanContext): void {
  writer.tag(1, 2);
  writer.hex(context.traceId);
  writer.tag(2, 2);
  writer.hex(context.spanId);
  const traceState = context.traceState?.serialize();
  if (traceState) {
    writer.tag(3, 2);
    writer.string(traceState);
  }
}

/** ScopeSpans.spans: one `Span`. */
function writeSpan(writer: Writer, span: ReadableSpan): void {
  const at = writer.open(2);
  const context = span.spanContext();
  writeContext(writer, context);
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    writer.tag(4, 2);
    writer.hex(parent.spanId);
  }
  writer.tag(5, 2);
  writer.string(span.name);
  // The API's kinds start at 0 (internal); OTLP's 0 is "unspecified".
  const kind = (span.kind as number | undefined) == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    writer.tag(6, 0);
    writer.varint(kind);
  }
  writer.tag(7, 1);
  writer.time(span.startTime);
  writer.tag(8, 1);
  writer.time(span.endTime);
  writer.attributes(span.attributes, 9);
  writer.tag(10, 0);
  writer.varint(span.droppedAttributesCount);
  for (const event of span.events) writeEvent(writer, event);
  writer.tag(12, 0);
  writer.varint(span.droppedEventsCount);
  for (const link of span.links) writeLink(writer, link);
  writer.tag(14, 0);
  writer.varint(span.droppedLinksCount);
  writeStatus(writer, span.status);
  writer.tag(16, 5);
  writer.fixed32(flagsOf(context.traceFlags, parent?.isRemote));
  writer.close(at);
}

/** Span.events: one `Span.Event`. */
function writeEvent(writer: Writer, event: TimedEvent): void {
  const at = writer.open(11);
  writer.tag(1, 1);
  writer.time(event.time);
  writer.tag(2, 2);
  writer.string(event.name);
  if (event.attributes) writer.attributes(event.attributes, 3);
  writer.tag(4, 0);
  writer.varint(event.droppedAttributesCount || 0);
  writer.close(at);
}

/** Span.links: one `Span.Link`. */
function writeLink(writer: Writer, link: Link): void {
  const at = writer.open(13);
  const { context } = link;
  writeContext(writer, context);
  if (link.attributes) writer.attributes(link.attributes, 4);
  writer.tag(5, 0);
  writer.varint(link.droppedAttributesCount || 0);
  writer.tag(6, 5);
  writer.fixed32(flagsOf(context.traceFlags, context.isRemote));
  writer.close(at);
}

/** Span.status. */
function writeStatus(writer: Writer, status: SpanStatus): void {
  const at = writer.open(15);
  if (status.message) {
    writer.tag(2, 2);
    writer.string(status.message);
  }
  writer.tag(3, 0);
  writer.varint(status.code);
  writer.close(at);
}

/** The encoded `KeyValue.key` of each attribute name seen, up to `MAX_KEPT_KEYS` of them. */
const keptKeys = new Map<string, Uint8Array>();
const MAX_KEPT_KEYS = 512;
const MIN_INT64 = -(2 ** 63);
const MAX_INT64 = 2 ** 63;
const NANOS_PER_SECOND = 1_000_000_000;
/** Each hex digit's value by its character code (0 for any other character). */
const HEX_DIGITS = new Uint8Array(128);
for (let digit = 0; digit < 16; digit++) {
  const hex = digit.toString(16);
  HEX_DIGITS[hex.charCodeAt(0)] = digit;
  HEX_DIGITS[hex.toUpperCase().charCodeAt(0)] = digit;
}

/** A growable buffer that protobuf is written into, reused from one request to the next. */
class Writer {
  private static shared = Buffer.allocUnsafe(64 * 1024);
  private buffer = Writer.shared;
  private at = 0;

  /** The bytes written, copied out (the buffer is reused by the next request). */
  finish(): Uint8Array {
    Writer.shared = this.buffer;
    const bytes = Buffer.allocUnsafe(this.at);
    this.buffer.copy(bytes, 0, 0, this.at);
    return bytes;
  }

  tag(field: number, wireType: number): void {
    this.varint((field << 3) | wireType);
  }

  /** Starts a length-delimited message as field `field`; `close` ends it. */
  open(field: number): number {
    this.tag(field, 2);
    this.room(1);
    return this.at++;
  }

  /** Writes the length of the message `open` started at `start`. */
  close(start: number): void {
    const length = this.at - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return;
    }
    const extra = length < 0x4000 ? 1 : length < 0x200000 ? 2 : length < 0x10000000 ? 3 : 4;
    this.room(extra);
    this.buffer.copyWithin(start + 1 + extra, start + 1, this.at);
    this.at += extra;
    let value = length;
    let at = start;
    while (value > 0x7f) {
      this.buffer[at++] = (value & 0x7f) | 0x80;
      value >>>= 7;
    }
    this.buffer[at] = value;
  }

  /** A varint: non-negative up to 2^64, or negative as int64's two's complement (10 bytes). */
  varint(value: number): void {
    this.room(10);
    const buffer = this.buffer;
    if (value >= 0 && value <= 0xffffffff) {
      while (value > 0x7f) {
        buffer[this.at++] = (value & 0x7f) | 0x80;
        value >>>= 7;
      }
      buffer[this.at++] = value;
      return;
    }
    let low: number;
    let high: number;
    if (value >= 0) {
      low = value >>> 0;
      high = Math.floor(value / 0x100000000) >>> 0;
    } else {
      const magnitude = -value;
      low = ~(magnitude >>> 0) >>> 0;
      high = ~(Math.floor(magnitude / 0x100000000) >>> 0) >>> 0;
      low = (low + 1) >>> 0;
      if (low === 0) high = (high + 1) >>> 0;
    }
    while (high > 0 || low > 0x7f) {
      buffer[this.at++] = (low & 0x7f) | 0x80;
      low = ((low >>> 7) | (high << 25)) >>> 0;
      high >>>= 7;
    }
    buffer[this.at++] = low;
  }

  string(value: string): void {
    // A text under 128 units that is ASCII (attribute names and values, span names, most
    // queries) is copied as it is, behind its one-byte length, without asking its UTF-8 length
    // first (a native call per string).
    const units = value.length;
    if (units < 0x80) {
      this.room(units + 1);
      const buffer = this.buffer;
      const start = this.at;
      let at = start + 1;
      let i = 0;
      for (; i < units; i++) {
        const unit = value.charCodeAt(i);
        if (unit >= 0x80) break;
        buffer[at++] = unit;
      }
      if (i === units) {
        buffer[start] = units;
        this.at = at;
        return;
      }
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.room(length);
    this.at += this.buffer.write(value, this.at, length, 'utf8');
  }

  /**
   * A hex id (trace or span id) as bytes, decoded here: `Buffer.write` in hex, a native call for
   * 8 or 16 bytes, took a fifth of the encoding (bench/RESULTS.md).
   */
  hex(value: string): void {
    const length = value.length >> 1;
    this.varint(length);
    this.room(length);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < 2 * length; i += 2) {
      buffer[at++] = (HEX_DIGITS[value.charCodeAt(i)]! << 4) | HEX_DIGITS[value.charCodeAt(i + 1)]!;
    }
    this.at = at;
  }

  bytes(value: Uint8Array): void {
    this.varint(value.length);
    this.room(value.length);
    this.buffer.set(value, this.at);
    this.at += value.length;
  }

  fixed32(value: number): void {
    this.room(4);
    this.uint32(value);
  }

  /** Four bytes, little-endian, with room made (`Buffer.writeUInt32LE` checks its arguments). */
  private uint32(value: number): void {
    const buffer = this.buffer;
    const at = this.at;
    buffer[at] = value & 0xff;
    buffer[at + 1] = (value >>> 8) & 0xff;
    buffer[at + 2] = (value >>> 16) & 0xff;
    buffer[at + 3] = value >>> 24;
    this.at = at + 4;
  }

  double(value: number): void {
    this.room(8);
    this.buffer.writeDoubleLE(value, this.at);
    this.at += 8;
  }

  /** An `HrTime` as nanoseconds since the epoch, fixed64. */
  time([seconds, nanos]: HrTime): void {
    // seconds * 1e9 exceeds 2^53: split it so that each product stays exact.
    const low16 = (seconds & 0xffff) * NANOS_PER_SECOND;
    const high = ((seconds / 0x10000) >>> 0) * NANOS_PER_SECOND;
    const lowWithCarry = (low16 >>> 0) + (((high & 0xffff) * 0x10000) >>> 0) + nanos;
    const carry = Math.floor(lowWithCarry / 0x100000000);
    this.room(8);
    this.uint32(lowWithCarry >>> 0);
    this.uint32((Math.floor(low16 / 0x100000000) + ((high / 0x10000) >>> 0) + carry) >>> 0);
  }

  /** Each attribute as a `KeyValue` of field `field`. */
  attributes(attributes: Attributes, field: number): void {
    // Own keys in order, as `for...in` with `hasOwnProperty` gives them, with less work per key.
    const keys = Object.keys(attributes);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const pair = this.open(field);
      this.key(key);
      const value = this.open(2);
      this.anyValue(attributes[key]);
      this.close(value);
      this.close(pair);
    }
  }

  /**
   * `KeyValue.key`: attribute names are few and repeat in every span, so each one's bytes (its
   * tag, length and text) are kept, for the first `MAX_KEPT_KEYS` names seen.
   */
  private key(key: string): void {
    let bytes = keptKeys.get(key);
    if (!bytes) {
      const start = this.at;
      this.tag(1, 2);
      this.string(key);
      if (keptKeys.size < MAX_KEPT_KEYS) {
        keptKeys.set(key, Uint8Array.prototype.slice.call(this.buffer, start, this.at));
      }
      return;
    }
    this.room(bytes.length);
    const buffer = this.buffer;
    for (let i = 0; i < bytes.length; i++) buffer[this.at++] = bytes[i]!;
  }

  /** An `AnyValue`'s content; nothing for a value it has no field for (null, undefined). */
  private anyValue(value: unknown): void {
    switch (typeof value) {
      case 'string':
        this.tag(1, 2);
        this.string(value);
        return;
      case 'boolean':
        this.tag(2, 0);
        this.varint(value ? 1 : 0);
        return;
      case 'number':
        if (Number.isInteger(value) && value >= MIN_INT64 && value < MAX_INT64) {
          this.tag(3, 0);
          this.varint(value);
        } else {
          this.tag(4, 1);
          this.double(value);
        }
        return;
      case 'object':
        break;
      default:
        return;
    }
    if (value instanceof Uint8Array) {
      this.tag(7, 2);
      this.bytes(value);
    } else if (Array.isArray(value)) {
      const array = this.open(5);
      for (const item of value as unknown[]) {
        const entry = this.open(1);
        this.anyValue(item);
        this.close(entry);
      }
      this.close(array);
    } else if (value !== null) {
      const list = this.open(6);
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const pair = this.open(1);
        this.tag(1, 2);
        this.string(key);
        const entry = this.open(2);
        this.anyValue((value as Record<string, unknown>)[key]);
        this.close(entry);
        this.close(pair);
      }
      this.close(list);
    }
  }

  /** Makes room for `bytes` more. */
  private room(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < this.at + bytes) size *= 2;
    const grown = Buffer.allocUnsafe(size);
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }
}
