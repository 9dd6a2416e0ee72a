import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isTokenLimitError } from './limits.js';
import type { Logger } from '../telemetry/logger.js';

export type FormatError = (
  formatted: GraphQLFormattedError,
  error: unknown,
) => GraphQLFormattedError;

/**
 * How errors reach clients, for Apollo Server's `formatError` and the prepared path alike: the
 * token limit reads as the validation failure it is, and an unexpected failure is only "Internal
 * server error", its details in the server log.
 */
export function errorFormatter(logger: Logger): FormatError {
  return (formatted, error) => {
    // A shape limit like depth or aliases, though the parser is what enforces it.
    if (isTokenLimitError(formatted.message)) {
      return {
        ...formatted,
        message: limitMessage(formatted.message),
        extensions: { ...formatted.extensions, code: 'GRAPHQL_VALIDATION_FAILED' },
      };
    }
    if (formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED') {
      return { ...formatted, message: limitMessage(formatted.message) };
    }
    if (formatted.extensions?.code !== 'INTERNAL_SERVER_ERROR') return formatted;
    logger.error({ err: unwrapResolverError(error), path: formatted.path }, 'unexpected error');
    return { ...formatted, message: 'Internal server error' };
  };
}

/**
 * Execution errors as Apollo Server formats them (its `normalizeAndFormatErrors`, without stack
 * traces): `extensions.code` defaults to INTERNAL_SERVER_ERROR, an `extensions.http` status moves
 * to the response, then `formatError` runs, and a formatter that throws gives a bare internal error.
 */
export function formatErrors(
  errors: readonly GraphQLError[],
  formatError: FormatError,
): { errors: GraphQLFormattedError[]; status: number | undefined } {
  let status: number | undefined;
  const formatted = errors.map((error) => {
    try {
      const { http, ...extensions } = error.extensions as Record<string, unknown> & {
        http?: { status?: unknown };
      };
      if (typeof http?.status === 'number') status = http.status;
      return formatError(
        {
          ...error.toJSON(),
          extensions: { ...extensions, code: extensions.code ?? 'INTERNAL_SERVER_ERROR' },
        },
        error,
      );
    } catch {
      return { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
  });
  return { errors: formatted, status };
}

/** graphql-armor's and graphql-js's limit refusals, and what says them in this API's words. */
const LIMITS: ReadonlyArray<[RegExp, (limit: string, found: string) => string]> = [
  [
    /^Syntax Error: Document contains more tha[nt] (\d+) tokens\./,
    (limit) =>
      `The query has more than ${limit} tokens, the most allowed (MAX_TOKENS): shorten it.`,
  ],
  [
    /Query depth limit of (\d+) exceeded, found (\d+)\./,
    (limit, found) =>
      `The query nests ${found} levels deep; at most ${limit} are allowed (MAX_DEPTH).`,
  ],
  [
    /Aliases limit of (\d+) exceeded, found (\d+)\./,
    (limit, found) => `The query has ${found} aliases; at most ${limit} are allowed (MAX_ALIASES).`,
  ],
  [
    /Query Cost limit of (\d+) exceeded, found (\d+)\./,
    (limit, found) => `The query costs ${found}; at most ${limit} is allowed (MAX_COST).`,
  ],
  [
    /Directives limit of (\d+) exceeded, found (\d+)\./,
    (limit, found) => `The query has ${found} directives; at most ${limit} are allowed.`,
  ],
];

/** A limit refusal in this API's words, naming the variable that sets the limit; else as it is. */
function limitMessage(message: string): string {
  for (const [pattern, say] of LIMITS) {
    const match = pattern.exec(message);
    if (match) return say(match[1]!, match[2] ?? '');
  }
  return message;
}
