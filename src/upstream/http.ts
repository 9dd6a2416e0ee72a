import type { IncomingHttpHeaders } from 'node:http';
import { Pool } from 'undici';
import type { z } from 'zod';
import { isApiError } from '../errors.js';
import {
  cancelledError,
  connectionError,
  errorFromResponse,
  malformedBody,
  timeoutError,
} from './errors.js';

export interface UpstreamOptions {
  /** The provider's name as errors show it, e.g. `PAYMENT_WORKFLOW`. */
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
  method?: 'GET' | 'PUT';
  /** Path below the base URL, already percent-encoded by the caller's fixed template. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** What the call fetches, for error messages, e.g. `execution "abc"`. */
  what: string;
  /**
   * Ends the call: aborted with a reason named `TimeoutError` at the deadline (an
   * `UPSTREAM_TIMEOUT`), with any other reason when the request that wanted it went away.
   */
  signal: AbortSignal;
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
  private readonly basePath: string;
  private readonly maxBodyBytes: number;
  private readonly observe: UpstreamOptions['observe'];

  constructor(options: UpstreamOptions) {
    this.provider = options.provider;
    this.basePath = options.baseUrl.pathname.replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs;
    this.maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
    this.observe = options.observe;
    this.pool = new Pool(options.baseUrl.origin, {
      connections: options.connections ?? 10,
      keepAliveTimeout: 10_000,
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  /** Sends one request and returns the answer whatever its status; throws on transport failure. */
  async send(request: UpstreamRequest): Promise<UpstreamResponse> {
    const { signal } = request;
    const end = this.observe?.(this.provider);
    let status: number | undefined;
    try {
      const response = await this.pool.request({
        method: request.method ?? 'GET',
        path: this.basePath + request.path,
        headers: request.headers,
        body: request.body ?? null,
        signal,
      });
      const body = await readText(response.body, this.maxBodyBytes);
      status = response.statusCode;
      if (body === undefined) {
        throw malformedBody(this.provider, `body larger than ${this.maxBodyBytes} bytes`, {}, '');
      }
      return { status: response.statusCode, headers: response.headers, body };
    } catch (error) {
      if (isApiError(error)) throw error;
      if (signal.aborted) {
        throw isTimeout(signal.reason)
          ? timeoutError(this.provider, this.timeoutMs)
          : cancelledError(this.provider);
      }
      throw connectionError(this.provider, error);
    } finally {
      end?.(status);
    }
  }

  /** Sends `request`; a 2xx answer's body parsed strictly and checked against `shape`, else an `ApiError`. */
  async get<T>(request: UpstreamRequest, shape: z.ZodType<T>): Promise<T> {
    return this.validate(await this.send(request), request.what, shape);
  }

  /** A 2xx answer's body checked against `shape`; anything else an `ApiError`. */
  validate<T>(response: UpstreamResponse, what: string, shape: z.ZodType<T>): T {
    const result = shape.safeParse(this.parse(response, what));
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

  parse(response: UpstreamResponse, what: string): unknown {
    if (response.status < 200 || response.status > 299) {
      throw errorFromResponse(
        this.provider,
        response.status,
        response.headers,
        response.body,
        what,
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

  async close(): Promise<void> {
    await this.pool.close();
  }
}

async function readText(
  body: AsyncIterable<Buffer> & { destroy(): void },
  maxBytes: number,
): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

const JSON_TYPE = /^\s*(application\/([\w.-]+\+)?json|text\/json)\s*(;|$)/i;

/** `AbortSignal.timeout()`'s reason, or the call policy's `DeadlineExceeded`: both are named so. */
function isTimeout(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}
