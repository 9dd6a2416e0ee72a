import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** JSON lines; `level` default `info`, `destination` default stdout. */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const options = {
    level,
    base: undefined,
    redact: {
      paths: ['headers.authorization', 'headers["x-api-key"]', 'headers["router-authorization"]'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
