import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.js';

/** Each provider's fixed path template, below the configured base path. */
const TEMPLATES = {
  cloudshell: '/api/v2/executions/',
  durable: '/api/v1/executions/',
  refold: '/api/v2/public/execution/',
  payment: '/v1/executions/',
  serverless: '/workflows/v1/execution/',
} as const;
const KEYS = Object.keys(TEMPLATES) as Array<keyof typeof TEMPLATES>;
const BASE_PATH = '/gateway/v9';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, { basePath: BASE_PATH });
});
afterAll(() => h.close());

// Any code points, lone surrogates included, biased towards the characters that matter in URLs.
const nativeId = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({
    unit: fc.constantFrom(
      '/',
      '.',
      '..',
      '?',
      '#',
      '%',
      '%2F',
      ':',
      '@',
      '\\',
      ' ',
      '\n',
      '\u0000',
      'é',
      '\ud800',
    ),
    minLength: 1,
    maxLength: 12,
  }),
);

describe('upstream paths', () => {
  it('never leave the configured host and path prefix, whatever the id', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...KEYS), nativeId, async (key, native) => {
        h.reset();
        const { body } = await h.query('query ($id: ID!) { execution(id: $id) { id } }', {
          id: `${key}:${native}`,
        });
        const requests = KEYS.flatMap((k) => h.sims[k].requests.map((r) => ({ k, r })));
        // Not an id (a lone surrogate cannot be encoded; a dot step would read as another path).
        if (!native.isWellFormed() || native === '.' || native === '..') {
          expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
          expect(requests).toEqual([]);
          return;
        }
        const executions = requests.filter(({ r }) => !r.url.endsWith('/api/login'));
        expect(executions).toHaveLength(1);
        const [{ k, r }] = executions as [(typeof executions)[number]];
        const sim = h.sims[k];
        expect(k).toBe(key);
        expect(`http://${r.headers.host}`).toBe(new URL(sim.url).origin);
        const prefix = BASE_PATH + TEMPLATES[key];
        expect(r.url.startsWith(prefix)).toBe(true);
        const segment = r.url.slice(prefix.length);
        expect(segment).toMatch(/^[^/?#]+$/);
        expect(decodeURIComponent(segment)).toBe(native);
      }),
      { numRuns: 150 },
    );
  });
});
