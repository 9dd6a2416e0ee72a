import { z } from 'zod';

const ZONELESS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
/** The common case, which `Date` reads as is: UTC with at most millisecond digits. */
const PLAIN_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * Reads a provider timestamp: RFC 3339 with any number of fraction digits, or a zone-less
 * `YYYY-MM-DD HH:mm:ss` (read as UTC, as CloudShell sends it). Empty or absent is null;
 * anything else is undefined (not a timestamp).
 */
export function parseTimestamp(value: string | null | undefined): Date | null | undefined {
  if (value === null || value === undefined) return null;
  if (PLAIN_UTC.test(value)) return validDate(value);
  if (value.trim() === '') return null;
  let text = value.trim();
  if (ZONELESS.test(text)) text += 'Z';
  if (!RFC3339.test(text)) return undefined;
  // JavaScript dates keep milliseconds: drop nanosecond digits rather than rely on the engine.
  return validDate(text.replace(' ', 'T').replace(/(\.\d{3})\d+/, '$1'));
}

function validDate(text: string): Date | undefined {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** A zod string that `parseTimestamp` accepts; empty strings allowed (they mean "not yet"). */
export const timestamp = z
  .string()
  .refine((value) => parseTimestamp(value) !== undefined, 'not an RFC 3339 timestamp');

/** A provider timestamp for the DateTime scalar (which writes it as ISO 8601 UTC), or null when empty or unreadable. */
export function toDateTime(value: string | null | undefined): Date | null {
  return parseTimestamp(value) ?? null;
}

/** Seconds between two provider timestamps; null unless both are known. */
export function secondsBetween(
  start: string | null | undefined,
  end: string | null | undefined,
): number | null {
  const from = parseTimestamp(start);
  const to = parseTimestamp(end);
  if (!from || !to) return null;
  return (to.getTime() - from.getTime()) / 1000;
}

const DURATION = /^(-?\d+)(\.\d{1,9})?s$/;

/** A protobuf `Duration` JSON string such as `12.5s`, in seconds. */
export function parseDuration(value: string | null | undefined): number | null {
  if (!value) return null;
  const match = DURATION.exec(value.trim());
  return match ? Number(`${match[1]}${match[2] ?? ''}`) : null;
}

/** A zod string that is a protobuf `Duration`. */
export const duration = z.string().regex(DURATION, 'not a protobuf Duration such as "12.5s"');
