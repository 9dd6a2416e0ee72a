import { pino, type DestinationStream, type Logger } from 'pino';
import { StdoutLines } from './stdout.js';

export type { Logger };

/**
 * JSON lines; `level` default `info`, `destination` default stdout (see `StdoutLines`). With
 * tracing on, the lines of a traced request (its record, its failed upstream calls) carry its
 * `trace_id` and `span_id`, which their writers add.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["router-authorization"]'],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? new StdoutLines());
}
