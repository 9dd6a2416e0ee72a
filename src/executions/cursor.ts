import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { badUserInput } from '../errors.js';

/** What the cursor key is derived for (HKDF's `info`): `CURSOR_SECRET` signs nothing else. */
const PURPOSE = 'executions search cursor v1';

/** A longer `after` is no cursor of ours: refused before it is decoded. */
const MAX_CURSOR_LENGTH = 64 * 1024;

/** Where a search stands in one stream of one provider's list. */
export interface StreamPosition {
  /** The provider's own position to read from next; undefined: from its newest. */
  position: string | undefined;
  /**
   * The last execution the search took from this stream, as `[createdAt ms, global id]`: what
   * a later read finds at or before it in the order was taken already.
   */
  last: readonly [number, string] | undefined;
  /** True once nothing is left in it. */
  done: boolean;
}

/** Where a search stands after a page: what a cursor holds. */
export interface SearchState {
  /** When the first page was asked (ms since the epoch): executions created since are left out. */
  asOf: number;
  /**
   * By provider key, its streams by name (`''` for a provider with one list). A provider missing
   * here has not been read yet (its streams were not found): it starts from its newest.
   */
  providers: Readonly<Record<string, Readonly<Record<string, StreamPosition>>>>;
}

const stream = z.tuple([
  z.string().max(4096).nullable(),
  z.tuple([z.number().int().nonnegative(), z.string().max(4096)]).nullable(),
  z.union([z.literal(0), z.literal(1)]),
]);

/** The compact JSON of a `SearchState`. */
const encoded = z.strictObject({
  v: z.literal(1),
  t: z.number().int().nonnegative(),
  p: z.record(z.string().max(64), z.record(z.string().max(4096), stream)),
});

/** AES-256-GCM's nonce and tag, in bytes. */
const NONCE = 12;
const TAG = 16;

/**
 * Cursors of `searchExecutions`: a `SearchState` as JSON, sealed with AES-256-GCM under a key
 * derived from `CURSOR_SECRET` (HKDF-SHA256, `info` "executions search cursor v1"), with the
 * search it belongs to (the filter, and whom it is for) as associated data; base64url of nonce,
 * ciphertext and tag. A client can neither read a cursor (no provider token or position shows)
 * nor change it, nor use it for another search: it does not open. Without a secret the key is
 * made at start-up, so cursors do not outlive the process.
 */
export class Cursors {
  private readonly key: Buffer;

  constructor(secret: string | undefined) {
    this.key = Buffer.from(hkdfSync('sha256', secret ?? randomBytes(32), '', PURPOSE, 32));
  }

  /** `state` as a cursor of the search `binding` names. */
  seal(state: SearchState, binding: string): string {
    const json: z.infer<typeof encoded> = {
      v: 1,
      t: state.asOf,
      p: Object.fromEntries(
        Object.entries(state.providers).map(([key, streams]) => [
          key,
          Object.fromEntries(
            Object.entries(streams).map(([name, { position, last, done }]) => [
              name,
              [position ?? null, last ? [last[0], last[1]] : null, done ? 1 : 0],
            ]),
          ),
        ]),
      ),
    };
    const nonce = randomBytes(NONCE);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(binding));
    const sealed = Buffer.concat([cipher.update(JSON.stringify(json)), cipher.final()]);
    return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
  }

  /**
   * The state of `cursor`, made by `seal` for the same `binding` with this key; else a
   * `BAD_USER_INPUT` naming `after`.
   */
  open(cursor: string, binding: string): SearchState {
    if (cursor.length > MAX_CURSOR_LENGTH || !/^[\w-]+$/.test(cursor)) throw refused();
    const bytes = Buffer.from(cursor, 'base64url');
    // Base64url decoding drops stray trailing characters: only the exact encoding is a cursor.
    if (bytes.length <= NONCE + TAG || bytes.toString('base64url') !== cursor) throw refused();
    let json: unknown;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, NONCE));
      decipher.setAAD(Buffer.from(binding));
      decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
      const text = Buffer.concat([
        decipher.update(bytes.subarray(NONCE, bytes.length - TAG)),
        decipher.final(),
      ]);
      json = JSON.parse(text.toString('utf8'));
    } catch {
      throw refused();
    }
    const parsed = encoded.safeParse(json);
    if (!parsed.success) throw refused();
    return {
      asOf: parsed.data.t,
      providers: Object.fromEntries(
        Object.entries(parsed.data.p).map(([key, streams]) => [
          key,
          Object.fromEntries(
            Object.entries(streams).map(([name, [position, last, done]]) => [
              name,
              { position: position ?? undefined, last: last ?? undefined, done: done === 1 },
            ]),
          ),
        ]),
      ),
    };
  }
}

function refused() {
  return badUserInput(
    '`after` is not a cursor of this search: it was changed, made for another filter, or made by a server with another CURSOR_SECRET (without one, cursors end with the server that made them). Ask for the first page again, without `after`.',
    { argument: 'after' },
  );
}
