import { createHash } from 'node:crypto';

/** A short, stable digest: 128 bits of SHA-256, hex. */
export function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}
