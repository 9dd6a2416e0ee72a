import { pino, type Logger } from 'pino';

export type { Logger };

/** JSON lines on stdout; `level` default `info`. */
export function createLogger(level = 'info'): Logger {
  return pino({
    level,
    base: undefined,
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["router-authorization"]'],
      censor: '[redacted]',
    },
  });
}
