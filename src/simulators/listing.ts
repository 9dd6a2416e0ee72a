import { createHmac, randomBytes } from 'node:crypto';
import type { ProviderError } from './server.js';

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Nanoseconds since the epoch of a strict RFC 3339 date-time: `T`, whole seconds, up to nine
 * fraction digits, `Z` or a `±hh:mm` offset. Null for anything else, including dates that do not
 * exist (`2026-02-30`) and hour 24, which `Date.parse` accepts and rolls over.
 */
export function rfc3339(text: string): bigint | null {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(
      text,
    );
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const lastDay = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (lastDay === undefined || day < 1 || day > lastDay) return null;
  if (hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {
    return null;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const offset = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const fraction = BigInt((match[7] ?? '').padEnd(9, '0'));
  return BigInt(date.getTime() - offset) * 1_000_000n + fraction;
}

/** Below every real instant: records whose time does not parse sort oldest. */
const NEVER = -(2n ** 96n);

/** Where an item sorts: its instant (nanoseconds) and its id. */
export interface SortKey {
  at: bigint;
  id: string;
}

/** The sort key of an item whose time is `time` (null or unparsable: oldest). */
export function sortKey(time: unknown, id: string): SortKey {
  return { at: (typeof time === 'string' ? rfc3339(time) : null) ?? NEVER, id };
}

/** Newest first; equal instants by id descending (the simulators' tie order, which no client may assume). */
export function newestFirst(a: SortKey, b: SortKey): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.id === b.id ? 0 : a.id > b.id ? -1 : 1;
}

/** A 400 with `message`, for the provider's own error body. */
export function badRequest(message: string): { error: ProviderError } {
  return { error: { status: 400, message } };
}

/**
 * The one value of query parameter `name`: undefined when absent or empty, a 400 when repeated.
 */
export function single(
  query: URLSearchParams,
  name: string,
): string | undefined | { error: ProviderError } {
  const values = query.getAll(name);
  if (values.length > 1) {
    return badRequest(`Query parameter '${name}' is given ${values.length} times; give it once.`);
  }
  return values[0] === '' ? undefined : values[0];
}

/**
 * Query parameter `name` as a whole number in `[min, max]`, `fallback` when absent; a 400 with
 * the offending value otherwise (signs, fractions, exponents and spaces included).
 */
export function integer(
  query: URLSearchParams,
  name: string,
  { fallback, min, max }: { fallback: number; min: number; max: number },
): number | { error: ProviderError } {
  const text = single(query, name);
  if (text === undefined) return fallback;
  if (typeof text !== 'string') return text;
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    return badRequest(`Query parameter '${name}' must be a whole number ${range}, got '${text}'.`);
  }
  return value;
}

/**
 * Opaque page tokens: a payload and an HMAC over it and the listing it belongs to (`scope`), keyed
 * per simulator. A token from another listing, another simulator or made up does not verify.
 */
export function pageTokens() {
  const key = randomBytes(32);
  const mac = (scope: string, payload: string) =>
    createHmac('sha256', key).update(`${scope}\n${payload}`).digest('base64url').slice(0, 22);
  return {
    /** The token for `payload` within `scope`. */
    sign: (scope: string, payload: string): string =>
      `${Buffer.from(payload, 'utf8').toString('base64url')}.${mac(scope, payload)}`,
    /** The payload of a token made by `sign` for `scope`, else null. */
    verify(scope: string, token: string): string | null {
      const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{22})$/.exec(token);
      if (!match) return null;
      const payload = Buffer.from(match[1]!, 'base64url').toString('utf8');
      return mac(scope, payload) === match[2] ? payload : null;
    },
  };
}

/**
 * The RFC 3339 UTC text of `ns` nanoseconds since the epoch, with 0, 3, 6 or 9 fraction digits
 * as protobuf's JSON writes a Timestamp (the inverse of `rfc3339` for such text).
 */
export function rfc3339Of(ns: bigint): string {
  const seconds = ns / 1_000_000_000n - (ns % 1_000_000_000n < 0n ? 1n : 0n);
  const fraction = ns - seconds * 1_000_000_000n;
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19);
  return `${whole}${fractionOf(fraction)}Z`;
}

/** A protobuf JSON Duration (`'12.500s'`) of `ns` nanoseconds, at least 0. */
export function durationOf(ns: bigint): string {
  const clamped = ns < 0n ? 0n : ns;
  return `${clamped / 1_000_000_000n}${fractionOf(clamped % 1_000_000_000n)}s`;
}

/** `.123`, `.123456` or `.123456789` for a fraction of a second in nanoseconds; '' for none. */
function fractionOf(ns: bigint): string {
  if (ns === 0n) return '';
  const digits = String(ns).padStart(9, '0');
  return `.${digits.endsWith('000000') ? digits.slice(0, 3) : digits.endsWith('000') ? digits.slice(0, 6) : digits}`;
}
