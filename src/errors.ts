/**
 * The API's error codes (`extensions.code`), as docs/api.md lists them. Every error this
 * service raises on purpose is an `ApiError`; graphql-js copies its `extensions` into the
 * response, so nothing here depends on GraphQL.
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'PROVIDER_NOT_CONFIGURED'
  | 'NOT_FOUND'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'STOP_NOT_SUPPORTED'
  | 'STOP_REJECTED'
  | 'RERUN_NOT_SUPPORTED'
  | 'SEARCH_NOT_SUPPORTED'
  | 'FILTER_REQUIRED';

/** What a response may reveal about an error: never credentials, hosts or stack traces. */
export interface ErrorExtensions {
  code: ErrorCode;
  provider?: string;
  status?: number;
  retryAfterSeconds?: number;
  upstreamRequestId?: string;
  limit?: number;
  /** The argument of a refused input, e.g. `after`. */
  argument?: string;
}

/** What failed upstream, for retry and breaker decisions; never sent to clients. */
export interface UpstreamFailure {
  kind: 'status' | 'connection' | 'timeout' | 'body' | 'cancelled';
  status?: number;
  /** The provider's `Retry-After`, in milliseconds. */
  retryAfterMs?: number;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly extensions: ErrorExtensions;
  readonly upstream: UpstreamFailure | undefined;

  constructor(message: string, extensions: ErrorExtensions, upstream?: UpstreamFailure) {
    super(message);
    this.extensions = extensions;
    this.upstream = upstream;
  }
}

export function badUserInput(message: string, extra: Omit<ErrorExtensions, 'code'> = {}): ApiError {
  return new ApiError(message, { code: 'BAD_USER_INPUT', ...extra });
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
