import { timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { secretMatches } from '../../src/http/secret.js';

describe('the router secret check', () => {
  const SECRET = 'router-secret-of-some-length';

  it('compares two 32-byte digests, whatever the length of the guess', () => {
    const compared: Array<[number, number]> = [];
    const compare = (a: Buffer, b: Buffer) => {
      compared.push([a.length, b.length]);
      return timingSafeEqual(a, b);
    };
    const guesses = ['', 'r', SECRET.slice(0, -1), SECRET, `${SECRET}x`, 'x'.repeat(10_000)];
    const answers = guesses.map((guess) => secretMatches(guess, SECRET, compare));
    expect(answers).toEqual([false, false, false, true, false, false]);
    // One comparison per guess, always of equal-length digests: no early exit on length.
    expect(compared).toEqual(guesses.map(() => [32, 32]));
  });

  it('refuses a missing or repeated header, after the same comparison', () => {
    let comparisons = 0;
    const compare = (a: Buffer, b: Buffer) => {
      comparisons += 1;
      return timingSafeEqual(a, b);
    };
    expect(secretMatches(undefined, SECRET, compare)).toBe(false);
    expect(secretMatches([SECRET, SECRET], SECRET, compare)).toBe(false);
    expect(comparisons).toBe(2);
  });
});
