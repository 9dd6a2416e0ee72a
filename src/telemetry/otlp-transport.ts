import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import {
  OTLPExporterError,
  type ExportResponse,
  type IExporterTransport,
} from '@opentelemetry/otlp-exporter-base';
import { Pool, type Dispatcher } from 'undici';
import type { Clock, Timer } from '../clock.js';

/** Where and how spans are sent, as the SDK reads it from the `OTEL_EXPORTER_OTLP_*` variables. */
export interface OtlpHttpSettings {
  /** An `http:` URL, e.g. `http://localhost:4318/v1/traces`. */
  url: string;
  /** The headers of every export (content type, `OTEL_EXPORTER_OTLP_HEADERS`). */
  headers: () => Promise<Record<string, string>>;
  compression: 'gzip' | 'none';
  /** The most exports in flight at once. */
  concurrencyLimit: number;
}

/** The most of an answer read: a larger one fails the export (as the SDK's transport does). */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Statuses worth another attempt (OTLP/HTTP's list). */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Connection failures worth another attempt: the SDK's list and undici's names for the same. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENOTFOUND',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);
const USER_AGENT = 'OTel-OTLP-Exporter-JavaScript (executions-subgraph)';
const gzipped = promisify(gzip);

/**
 * OTLP/HTTP export over undici, the client the subgraph's provider calls use. Node's own
 * `http.request`, which the SDK's transport uses, shares its code with the server's responses
 * (`OutgoingMessage`, its sockets' streams): each export made that code, which every request runs,
 * see objects of another shape, and V8 threw away its optimized code for them and rebuilt it
 * slower for both (`--trace-deopt` showed `_send`, `write_`, `end`, `Socket._writev` deoptimized
 * at each export). undici writes to its sockets as the provider calls already do. What it
 * answers is the SDK transport's: 2xx succeeds, 429/502/503/504 and connection failures may be
 * tried again (`Retry-After` honoured), anything else fails.
 */
export function undiciTransport(settings: OtlpHttpSettings, clock: Clock): IExporterTransport {
  const url = new URL(settings.url);
  const pool = new Pool(url.origin, {
    connections: Math.max(1, settings.concurrencyLimit),
    // Exports are seconds apart: an idle connection is kept that long.
    keepAliveTimeout: 30_000,
  });
  const path = `${url.pathname}${url.search}`;
  return {
    async send(data, timeoutMillis) {
      const headers: Record<string, string> = {
        ...(await settings.headers()),
        'user-agent': USER_AGENT,
      };
      let body: Uint8Array = data;
      if (settings.compression === 'gzip') {
        body = await gzipped(data);
        headers['content-encoding'] = 'gzip';
      }
      return new Promise<ExportResponse>((resolve) => {
        const exchange = new Exchange(resolve, clock);
        exchange.timer = clock.setTimeout(() => exchange.timeout(), Math.max(0, timeoutMillis));
        pool.dispatch({ method: 'POST', path, headers, body }, exchange);
      });
    },
    shutdown() {
      void pool.close().catch(() => undefined);
    },
  };
}

const failure = (error: Error): ExportResponse => ({ status: 'failure', error });

/**
 * One export's undici dispatch handler: collects the answer (up to `MAX_RESPONSE_BYTES`) and
 * settles once, with the answer, a connection failure or the timeout. A handler rather than
 * `request()`, whose answer is a stream (a `Readable`, as the server's requests are).
 */
class Exchange implements Dispatcher.DispatchHandler {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private status = 0;
  private headers: Record<string, string | string[]> = {};
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  timer: Timer | undefined;

  constructor(
    private readonly resolve: (response: ExportResponse) => void,
    private readonly clock: Clock,
  ) {}

  timeout(): void {
    this.settle({ status: 'retryable', error: new Error('Request timed out') });
    this.controller?.abort(new Error('OTLP export timed out'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.settled) controller.abort(new Error('OTLP export timed out'));
  }

  onResponseStart(
    _: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[]>,
  ): void {
    this.status = statusCode;
    this.headers = headers;
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size <= MAX_RESPONSE_BYTES) {
      this.chunks.push(chunk);
      return;
    }
    this.settle(
      failure(new Error(`OTLP export response body exceeded ${MAX_RESPONSE_BYTES} bytes`)),
    );
    controller.abort(new Error('OTLP export answer too large'));
  }

  onResponseEnd(): void {
    const answer = Buffer.concat(this.chunks, this.size);
    const { status } = this;
    if (status <= 299) {
      this.settle({ status: 'success', data: answer });
    } else if (RETRYABLE_STATUSES.has(status)) {
      const retryInMillis = retryAfterMs(this.headers['retry-after'], this.clock.now());
      this.settle({ status: 'retryable', retryInMillis });
    } else {
      this.settle(
        failure(new OTLPExporterError(`HTTP ${status}`, status, answer.toString('utf8'))),
      );
    }
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    const code = (error as { code?: unknown }).code;
    this.settle(
      typeof code === 'string' && RETRYABLE_CODES.has(code)
        ? { status: 'retryable', error }
        : failure(error),
    );
  }

  private settle(response: ExportResponse): void {
    if (this.settled) return;
    this.settled = true;
    this.clock.clearTimeout(this.timer);
    this.resolve(response);
  }
}

/** `Retry-After` (seconds, or an HTTP date) in ms from `now`; undefined when absent. */
export function retryAfterMs(
  value: string | string[] | undefined,
  now: number,
): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined) return undefined;
  const seconds = Number.parseInt(text, 10);
  if (Number.isInteger(seconds)) return seconds > 0 ? seconds * 1000 : -1;
  const delay = new Date(text).getTime() - now;
  return delay >= 0 ? delay : 0;
}

/** The SDK's retry rules: 5 more attempts at most, 1 s apart and growing by 1.5x to 5 s, ±20%. */
const MAX_RETRIES = 5;
const INITIAL_BACKOFF_MS = 1000;
const MAX_BACKOFF_MS = 5000;
const BACKOFF_MULTIPLIER = 1.5;
const JITTER = 0.2;

/**
 * `transport` tried again while it answers `retryable`, as the SDK's own retrying transport
 * does (which its package does not export): after the answer's `Retry-After`, else a backoff,
 * and never past the export's deadline. `random` draws the jitter.
 */
export function retrying(
  transport: IExporterTransport,
  clock: Clock,
  random: () => number = Math.random,
): IExporterTransport {
  const wait = (ms: number) =>
    new Promise<void>((resolve) => void clock.setTimeout(resolve, Math.max(0, ms)));
  return {
    async send(data, timeoutMillis) {
      const deadline = clock.now() + timeoutMillis;
      let backoff = INITIAL_BACKOFF_MS;
      let result = await transport.send(data, timeoutMillis);
      for (let retries = 0; result.status === 'retryable' && retries < MAX_RETRIES; retries++) {
        const jittered = Math.max(
          Math.min(backoff * (1 + random() * 2 * JITTER - JITTER), MAX_BACKOFF_MS),
          0,
        );
        backoff *= BACKOFF_MULTIPLIER;
        const retryIn = result.retryInMillis ?? jittered;
        const remaining = deadline - clock.now();
        if (retryIn > remaining) return result;
        await wait(retryIn);
        result = await transport.send(data, deadline - clock.now());
      }
      return result;
    },
    shutdown() {
      transport.shutdown();
    },
  };
}
