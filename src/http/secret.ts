import { createHash, timingSafeEqual } from 'node:crypto';

/** The bytes a secret is compared by: its SHA-256 digest, 32 bytes whatever its length. */
function digestOf(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * Whether the `router-authorization` header `given` is `secret`, in constant time over their
 * digests: neither the time taken nor an early length check tells a caller how long the secret
 * is or how much of it a guess got right. `compare` is the constant-time comparison (default
 * node's `timingSafeEqual`), a parameter for its test.
 */
export function secretMatches(
  given: string | string[] | undefined,
  secret: string,
  compare: (a: Buffer, b: Buffer) => boolean = timingSafeEqual,
): boolean {
  const guess = typeof given === 'string' ? given : '';
  const matched = compare(digestOf(guess), digestOf(secret));
  return typeof given === 'string' && matched;
}
