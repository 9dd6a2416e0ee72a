import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { ApiError } from '../errors.js';
import { tracing, type UpstreamSpan } from '../telemetry/tracing-hooks.js';
import type { Abort, AbortReason } from './abort.js';
import {
  cancelledError,
  connectionError,
  errorFromResponse,
  malformedBody,
  timeoutError,
} from './errors.js';

export interface UpstreamOptions {
  /** The provider's name as errors show it, its `ExecutionProvider` value. */
  provider: string;
  /** Base URL; its path (if any) prefixes every request path. */
  baseUrl: URL;
  /** Total deadline of one call, connect to last body byte, for messages and undici's own timeouts. */
  timeoutMs: number;
  /** Default 10: keep-alive connections in the pool, and so the most requests in flight at once. */
  connections?: number;
  /** Default 1 MiB: a larger body is an `UPSTREAM_ERROR`. */
  maxBodyBytes?: number;
  /** Called as each HTTP attempt starts; the function it returns, when it ends (with the status, if any). */
  observe?: (provider: string) => (status?: number) => void;
}

export interface UpstreamRequest {
  /** Default GET. */
  method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Path below the base URL, already percent-encoded by the caller's fixed template. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the call fetches, for error messages, e.g. `execution "abc"`. */
  what: string;
  /** Ends the call early: at its deadline (`UPSTREAM_TIMEOUT`) or when its request went away. */
  abort?: Abort;
}

/** An answer that goes on (server-sent events): its body as it arrives, until `close()`. */
export interface UpstreamStream {
  /** The body's text, chunk by chunk, as it arrives; ends with the body or throws when it fails. */
  chunks: AsyncIterable<string>;
  /** Ends the call (the connection is closed); the chunks then end. Idempotent. */
  close(): void;
}

export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * One provider's HTTP upstream: a keep-alive undici `Pool` for its origin. Calls either return
 * a 2xx answer's parsed JSON or throw an `ApiError` built by `./errors.ts`.
 */
export class Upstream {
  readonly provider: string;
  readonly timeoutMs: number;
  private readonly pool: Pool;
  /** Streams' own connections (`openStream`), made when the first opens. */
  private streams: Pool | undefined;
  private readonly origin: URL;
  private readonly basePath: string;
  /** Default 1 MiB: a larger body is an `UPSTREAM_ERROR`. */
  readonly maxBodyBytes: number;
  private readonly observe: UpstreamOptions['observe'];

  constructor(options: UpstreamOptions) {
    this.provider = options.provider;
    this.origin = new URL(options.baseUrl.origin);
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.observe = options.observe;
    this.pool = new Pool(options.baseUrl.origin, {
      connections: options.connections ?? 10,
      // One request per connection: the pool size is the cap on calls in flight, and calls past
      // it wait in the pool's queue, inside their deadline.
      pipelining: 1,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /**
   * Sends one request and returns the answer whatever its status; throws on transport failure.
   * Uses undici's `dispatch` with a handler that collects the body: `request()` adds a stream,
   * an async resource and abort-signal listeners to every call, measurably (bench/RESULTS.md).
   * With tracing on, a call of a traced request (its abort holds the trace) has its span from
   * here, before the pool may queue the call, and the provider gets its `traceparent`.
   */
  send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { abort } = request;
    if (abort?.reason) return Promise.reject(abortError(this, abort.reason));
    const method = request.method ?? 'GET';
    let { headers } = request;
    let span: UpstreamSpan | undefined;
    const trace = abort?.trace;
    if (tracing && trace) {
      headers = { ...headers };
      span = tracing.upstream(trace, this.provider, method, this.origin, headers);
    }
    return new Promise((resolve, reject) => {
      const call = new Call(this, resolve, reject, this.observe?.(this.provider), span);
      if (abort) call.stopListening = abort.listen((reason) => call.abort(reason));
      this.pool.dispatch(
        { method, path: this.basePath + request.path, headers, body: request.body ?? null },
        call,
      );
    });
  }

  /** Sends `request`; a 2xx answer's body parsed strictly and checked against `shape`, else an `ApiError`. */
  get<T>(request: UpstreamRequest, shape: z.ZodType<T>): Promise<T> {
    return this.send(request).then((response) => this.validate(response, request.what, shape));
  }

  /**
   * Sends a call that acts (a stop); a 2xx answer's body checked against `shape`, else an
   * `ApiError` in which a refusal is `STOP_REJECTED`.
   */
  act<T>(request: UpstreamRequest, shape: z.ZodType<T>): Promise<T> {
    return this.send(request).then((response) =>
      this.validate(response, request.what, shape, 'stop'),
    );
  }

  /**
   * Sends a call that starts an execution; a 2xx answer's body checked against `shape`, else an
   * `ApiError` as for a read (a refusal is `UPSTREAM_ERROR` with its status).
   */
  start<T>(request: UpstreamRequest, shape: z.ZodType<T>): Promise<T> {
    return this.send(request).then((response) => this.validate(response, request.what, shape));
  }

  /** A 2xx answer's body checked against `shape`; anything else an `ApiError`. */
  validate<T>(
    response: UpstreamResponse,
    what: string,
    shape: z.ZodType<T>,
    call: 'read' | 'stop' = 'read',
  ): T {
    const result = shape.safeParse(this.parse(response, what, call));
    if (result.success) return result.data;
    // Paths and zod's messages only: values may be anything, including secrets echoed back.
    const issues = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw malformedBody(
      this.provider,
      `unexpected shape (${issues})`,
      response.headers,
      response.body,
    );
  }

  parse(response: UpstreamResponse, what: string, call: 'read' | 'stop' = 'read'): unknown {
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse(
        this.provider,
        response.status,
        response.headers,
        response.body,
        what,
        call,
      );
    }
    const type = response.headers['content-type'];
    if (typeof type === 'string' && !JSON_TYPE.test(type)) {
      throw malformedBody(
        this.provider,
        `content type ${type.split(';')[0]} instead of JSON`,
        response.headers,
        response.body,
      );
    }
    try {
      return JSON.parse(response.body);
    } catch {
      throw malformedBody(
        this.provider,
        'the body is not valid JSON',
        response.headers,
        response.body,
      );
    }
  }

  /**
   * Opens a GET whose answer goes on (server-sent events) on a connection of its own: a stream
   * never holds one of the pool's connections, which stay the cap on calls in flight. The
   * answer's headers must come within the call's deadline; after them, the body has none (the
   * caller decides when it is idle). A status other than 2xx is an `ApiError` as for a read.
   * No span: streams outlive every request.
   */
  async openStream(request: UpstreamRequest): Promise<UpstreamStream> {
    const { abort } = request;
    if (abort?.reason) throw abortError(this, abort.reason);
    this.streams ??= new Pool(this.origin, {
      pipelining: 1,
      keepAliveTimeout: 1_000,
      headersTimeout: this.timeoutMs,
      bodyTimeout: 0,
    });
    const controller = new AbortController();
    const stopListening = abort?.listen((reason) => controller.abort(reason));
    const close = () => {
      stopListening?.();
      controller.abort('closed');
    };
    let response: Dispatcher.ResponseData;
    try {
      response = await this.streams.request({
        method: 'GET',
        path: this.basePath + request.path,
        headers: request.headers,
        signal: controller.signal,
      });
    } catch (error) {
      close();
      if (abort?.reason) throw abortError(this, abort.reason);
      throw connectionError(this.provider, error as Error);
    }
    const { statusCode, headers, body } = response;
    if (statusCode < 200 || statusCode > 299) {
      // Not read: with no body deadline, a refusal whose body never ends would hang here. The
      // status says enough.
      close();
      body.destroy();
      throw errorFromResponse(this.provider, statusCode, headers, '', request.what);
    }
    const provider = this.provider;
    // A character split across chunks is joined by the decoder.
    const decoder = new TextDecoder();
    return {
      close: () => {
        close();
        body.destroy();
      },
      chunks: (async function* () {
        try {
          for await (const chunk of body) yield decoder.decode(chunk as Buffer, { stream: true });
        } catch (error) {
          if (controller.signal.aborted) return;
          throw connectionError(provider, error as Error);
        } finally {
          stopListening?.();
        }
      })(),
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.pool.close(), this.streams?.destroy()]);
  }
}

/**
 * One call's undici dispatch handler: collects the body up to the upstream's limit and settles
 * once, whichever comes first of the answer, a transport error and the call's abort.
 */
class Call implements Dispatcher.DispatchHandler {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private status: number | undefined;
  private headers: IncomingHttpHeaders = {};
  private controller: Dispatcher.DispatchController | undefined;
  private settled = false;
  stopListening: (() => void) | undefined;

  constructor(
    private readonly upstream: Upstream,
    private readonly resolve: (response: UpstreamResponse) => void,
    private readonly reject: (error: unknown) => void,
    private readonly end: ((status?: number) => void) | undefined,
    private readonly span: UpstreamSpan | undefined,
  ) {}

  abort(reason: AbortReason): void {
    // Settled first: undici may report the abort back through onResponseError at once.
    this.fail(abortError(this.upstream, reason));
    this.controller?.abort(new Error(`upstream call ended: ${reason}`));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    // Queued in the pool until now, and no longer wanted.
    if (this.settled) controller.abort(new Error('upstream call no longer wanted'));
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
    if (this.size <= this.upstream.maxBodyBytes) {
      this.chunks.push(chunk);
      return;
    }
    const limit = this.upstream.maxBodyBytes;
    this.fail(malformedBody(this.upstream.provider, `body larger than ${limit} bytes`, {}, ''));
    controller.abort(new Error('upstream body too large'));
  }

  onResponseEnd(): void {
    if (!this.finish(undefined)) return;
    const body = Buffer.concat(this.chunks, this.size).toString('utf8');
    this.resolve({ status: this.status!, headers: this.headers, body });
  }

  onResponseError(_: Dispatcher.DispatchController, error: Error): void {
    this.fail(connectionError(this.upstream.provider, error));
  }

  private fail(error: ApiError): void {
    if (this.finish(error.upstream?.kind ?? error.extensions.code)) this.reject(error);
  }

  /** True the first time: the call is settled now, having failed with `failure` if given. */
  private finish(failure: string | undefined): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.stopListening?.();
    this.end?.(this.status);
    this.span?.end(this.status, failure);
    return true;
  }
}

/** The error a call ended early by `reason` rejects with. */
function abortError(upstream: Upstream, reason: AbortReason): ApiError {
  return reason === 'timeout'
    ? timeoutError(upstream.provider, upstream.timeoutMs)
    : cancelledError(upstream.provider);
}

const JSON_TYPE = /^\s*(application\/([\w.-]+\+)?json|text\/json)\s*(;|$)/i;
