import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '../errors.js';

/**
 * Every upstream failure becomes an `ApiError` here and nowhere else. The message names the
 * provider and the status but never the upstream host, URL, credentials or body: those stay in
 * server-side logs.
 */
export function errorFromResponse(
  provider: string,
  status: number,
  headers: IncomingHttpHeaders,
  body: string,
  what: string,
  /** Default `read`. For a `stop`, a refusal (another 4xx) is `STOP_REJECTED`. */
  call: 'read' | 'stop' = 'read',
): ApiError {
  const upstreamRequestId = requestIdOf(headers, body);
  const retryAfterSeconds = retryAfterOf(headers);
  const failure = {
    kind: 'status' as const,
    status,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterMs: retryAfterSeconds * 1000 }),
  };
  if (status === 404) {
    return new ApiError(
      `${provider} has no ${what}: check the id.`,
      { code: 'NOT_FOUND', provider },
      failure,
    );
  }
  if (status === 401 || status === 403) {
    return new ApiError(
      `${provider} refused this service's credentials (HTTP ${status}): check the configured ${provider} credentials.`,
      { code: 'UPSTREAM_UNAUTHORIZED', provider, status },
      failure,
    );
  }
  if (status === 429) {
    return new ApiError(
      `${provider} is rate limiting this service (HTTP 429)${retryAfterSeconds === undefined ? '' : `; retry after ${retryAfterSeconds} s`}.`,
      {
        code: 'UPSTREAM_RATE_LIMITED',
        provider,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
      failure,
    );
  }
  if (call === 'stop' && status >= 400 && status < 500) {
    return new ApiError(
      `${provider} refused to stop ${what} (HTTP ${status}): it may have finished or be stopping already.`,
      { code: 'STOP_REJECTED', provider, status },
      failure,
    );
  }
  return new ApiError(
    `${provider} answered HTTP ${status} for ${what}.`,
    {
      code: 'UPSTREAM_ERROR',
      provider,
      status,
      ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
    },
    failure,
  );
}

/** A 2xx answer whose body is not what the provider documents. */
export function malformedBody(
  provider: string,
  problem: string,
  headers: IncomingHttpHeaders,
  body: string,
): ApiError {
  const upstreamRequestId = requestIdOf(headers, body);
  return new ApiError(
    `${provider} sent a response this service cannot read: ${problem}.`,
    {
      code: 'UPSTREAM_ERROR',
      provider,
      ...(upstreamRequestId === undefined ? {} : { upstreamRequestId }),
    },
    { kind: 'body' },
  );
}

export function timeoutError(provider: string, timeoutMs: number): ApiError {
  return new ApiError(
    `${provider} did not answer within ${timeoutMs} ms.`,
    { code: 'UPSTREAM_TIMEOUT', provider },
    { kind: 'timeout' },
  );
}

/** The GraphQL request that wanted this call went away (client disconnected). */
export function cancelledError(provider: string): ApiError {
  return new ApiError(
    `The call to ${provider} was cancelled because the request ended.`,
    { code: 'UPSTREAM_ERROR', provider },
    { kind: 'cancelled' },
  );
}

/** The provider's circuit is open: calls fail fast until it is probed again. */
export function unavailableError(provider: string, retryAfterSeconds: number): ApiError {
  return new ApiError(
    `${provider} is failing repeatedly, so calls to it are paused; try again in ${retryAfterSeconds} s.`,
    { code: 'UPSTREAM_UNAVAILABLE', provider, retryAfterSeconds },
  );
}

/** A failure below HTTP (refused, reset, DNS). Only the error code is kept: messages name hosts. */
export function connectionError(provider: string, cause: unknown): ApiError {
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? cause.code
      : 'unknown error';
  return new ApiError(
    `Could not reach ${provider} (${code}).`,
    { code: 'UPSTREAM_ERROR', provider },
    { kind: 'connection' },
  );
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function requestIdOf(headers: IncomingHttpHeaders, body: string): string | undefined {
  const header = headers['x-request-id'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && REQUEST_ID.test(fromHeader)) return fromHeader;
  // Some providers' error bodies carry it instead, as `requestId` or `request_id`.
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null) {
      for (const key of ['requestId', 'request_id']) {
        const value = (parsed as Record<string, unknown>)[key];
        if (typeof value === 'string' && REQUEST_ID.test(value)) return value;
      }
    }
  } catch {
    // Not JSON: no request id to report.
  }
  return undefined;
}

function retryAfterOf(headers: IncomingHttpHeaders): number | undefined {
  const value = headers['retry-after'];
  if (typeof value !== 'string') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
