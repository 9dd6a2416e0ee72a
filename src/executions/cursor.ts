import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
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

/**
 * Cursors of `searchExecutions`: a `SearchState` as base64url JSON, then `.`, then its MAC,
 * HMAC-SHA256 with a key derived from `CURSOR_SECRET` over the search it belongs to (the filter,
 * and whom it is for) and the JSON. Without a secret the key is made at start-up, so cursors do
 * not outlive the process. Positions are readable, but none can be changed or moved to another
 * search: the MAC would not match.
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
    const payload = Buffer.from(JSON.stringify(json)).toString('base64url');
    return `${payload}.${this.mac(binding, payload)}`;
  }

  /**
   * The state of `cursor`, made by `seal` for the same `binding` with this key; else a
   * `BAD_USER_INPUT` naming `after`.
   */
  open(cursor: string, binding: string): SearchState {
    const dot = cursor.lastIndexOf('.');
    if (cursor.length > MAX_CURSOR_LENGTH || dot < 1) throw refused();
    const payload = cursor.slice(0, dot);
    const given = Buffer.from(cursor.slice(dot + 1));
    const expected = Buffer.from(this.mac(binding, payload));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw refused();
    let json: unknown;
    try {
      json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
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

  private mac(binding: string, payload: string): string {
    return createHmac('sha256', this.key)
      .update(`${Buffer.byteLength(binding)}\n${binding}\n`)
      .update(payload)
      .digest('base64url');
  }
}

function refused() {
  return badUserInput(
    '`after` is not a cursor of this search: it was changed, made for another filter, or made by a server with another CURSOR_SECRET (without one, cursors end with the server that made them). Ask for the first page again, without `after`.',
    { argument: 'after' },
  );
}
