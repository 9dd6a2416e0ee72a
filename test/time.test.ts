import { describe, expect, it } from 'vitest';
import { parseDuration, parseTimestamp, secondsBetween, toDateTime } from '../src/time.js';

describe('parseTimestamp', () => {
  it.each([
    ['2023-10-31T14:19:34.788Z', '2023-10-31T14:19:34.788Z'],
    ['2026-11-20T10:00:00.123456789Z', '2026-11-20T10:00:00.123Z'],
    ['2026-11-20 10:05:30', '2026-11-20T10:05:30.000Z'],
    ['2026-11-20T12:00:00+02:00', '2026-11-20T10:00:00.000Z'],
  ])('reads %s as %s', (text, iso) => {
    expect(toDateTime(text)?.toISOString()).toBe(iso);
  });

  it('reads empty and absent as null, and rejects what is not a timestamp', () => {
    expect(parseTimestamp('')).toBeNull();
    expect(parseTimestamp(null)).toBeNull();
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2026-13-45T99:00:00Z')).toBeUndefined();
  });
});

describe('durations', () => {
  it('reads protobuf Duration strings in seconds', () => {
    expect(parseDuration('12.5s')).toBe(12.5);
    expect(parseDuration('3s')).toBe(3);
    expect(parseDuration('0.000000001s')).toBe(1e-9);
    expect(parseDuration('12 minutes')).toBeNull();
  });

  it('measures between two timestamps only when both are known', () => {
    expect(secondsBetween('2026-11-20T10:00:00Z', '2026-11-20T10:01:30.5Z')).toBe(90.5);
    expect(secondsBetween('2026-11-20T10:00:00Z', '')).toBeNull();
  });
});
