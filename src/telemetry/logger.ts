import { pino, type DestinationStream, type Logger } from 'pino';
import { StdoutLines } from './stdout.js';
import { tracing } from './tracing-hooks.js';

export type { Logger };

/**
 * JSON lines; `level` default `info`, `destination` default stdout (see `StdoutLines`). With
 * tracing on (started before the logger), a line written inside a trace carries its `trace_id`
 * and `span_id`.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const traced = tracing;
  const options = {
    level,
    base: undefined,
    ...(traced && { mixin: () => traced.logFields() }),
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["router-authorization"]'],
      censor: '[redacted]',
    },
  };
  return pino(options, destination ?? new StdoutLines());
}
