import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** What the signing key is derived for (HKDF's `info`): the raw secret never signs anything. */
const PURPOSE = 'executions redis signing v1';

/** Characters of a MAC: HMAC-SHA256, 32 bytes, base64url without padding. */
const MAC_LENGTH = 43;

/**
 * Signs what replicas share in Redis (cached executions, the shared pollers' answers) with a key
 * derived from `CACHE_SIGNING_KEY` (else `ROUTER_SECRET`), so that a value nobody holding that
 * key wrote is never served (docs/caching.md).
 *
 * A signed value is `<mac>.<text>`: the MAC, HMAC-SHA256 with the derived key of the Redis name
 * the value is stored under (a key, or a channel) and the text, length-prefixed so that no two
 * (name, text) pairs sign alike. A value copied to another name, or signed with another key,
 * fails the check. The key is HKDF-SHA256 of the secret (no salt, `info` "executions redis
 * signing v1"), so the secret itself is used for nothing else here.
 */
export class RedisSigner {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = Buffer.from(hkdfSync('sha256', secret, '', PURPOSE, 32));
  }

  /** `text`, signed for the Redis name `name`: `<mac>.<text>`. */
  seal(name: string, text: string): string {
    return `${this.mac(name, text)}.${text}`;
  }

  /**
   * The text of `sealed` when it was sealed for `name` with this key (compared in constant
   * time); undefined for anything else, unsigned values included.
   */
  open(name: string, sealed: string): string | undefined {
    if (sealed.length <= MAC_LENGTH || sealed.charCodeAt(MAC_LENGTH) !== 0x2e) return undefined;
    const text = sealed.slice(MAC_LENGTH + 1);
    const given = Buffer.from(sealed.slice(0, MAC_LENGTH));
    const expected = Buffer.from(this.mac(name, text));
    // timingSafeEqual needs equal lengths: a MAC with any non-ASCII character has more bytes.
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return text;
  }

  /**
   * A digest of `text` under this key (128 bits, hex): a Redis name that only replicas with the
   * same key compute, so that replicas with different keys never share a name.
   */
  name(text: string): string {
    return createHmac('sha256', this.key).update(`name\n${text}`).digest('hex').slice(0, 32);
  }

  private mac(name: string, text: string): string {
    return createHmac('sha256', this.key)
      .update(`value\n${Buffer.byteLength(name)}\n${name}\n`)
      .update(text)
      .digest('base64url');
  }
}

/** A signer of `secret`; none without a secret (values then go unsigned, checked by shape only). */
export function signerOf(secret: string | undefined): RedisSigner | undefined {
  return secret === undefined ? undefined : new RedisSigner(secret);
}
