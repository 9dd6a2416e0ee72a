import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlobalId } from '../../src/executions/ids.js';
import type { SimRequest } from '../../src/simulators/index.js';
import { NO_POLICY, startHarness, type Harness } from '../harness.js';

/**
 * Generated ids and Refold headers against the simulators' received requests: whatever a client
 * sends, a native id reaches its provider as exactly one path segment of the provider's fixed
 * template (or, refused, nowhere), and the Refold customer only as Refold's `linked_account_id`.
 */

const KEYS = ['cloudshell', 'durable', 'refold', 'payment', 'serverless'] as const;
type Key = (typeof KEYS)[number];

const MAX_ID_LENGTH = 512;
const RUNS = 100;
const REFOLD_HEADER = 'x-refold-linked-account-id';
/** A seeded Refold execution; its owner is the demo customer, anyone else gets 404. */
const REFOLD_ID = '674d2a10c1f3b2a9e0a10005';

/** A path segment as RFC 3986 allows it (`pchar`), percent-escapes included: no `/`, `?` or `#`. */
const SEGMENT = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-F]{2})+$/;

/** Pieces ids are made of: path syntax, escapes, separators, controls, odd code points. */
const PIECES = [
  '/',
  '?',
  '#',
  '%',
  '%2F',
  '%2e%2e',
  '%25',
  '%00',
  '..',
  '.',
  ' ',
  ':',
  '\\',
  '+',
  '&',
  '=',
  ';',
  '@',
  '\u0000',
  '\t',
  '\r\n',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ufeff',
  '\ud83d\ude00',
  '\ud800',
  '\udfff',
  'é',
  '../',
  '/..',
];

/** Native ids: path steps, short mixes of the pieces and any code point, and long ones. */
const nativeIds = fc.oneof(
  { arbitrary: fc.constantFrom('', '.', '..', '...', './', '/.', '%2e', '/', '?', '#'), weight: 1 },
  {
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'binary', maxLength: 4 })), {
        maxLength: 24,
      })
      .map((parts) => parts.join('')),
    weight: 4,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  {
    // Around the limit: the whole id `<key>:<native>` may have 512 UTF-16 code units.
    arbitrary: fc
      .tuple(
        fc.integer({ min: MAX_ID_LENGTH - 30, max: MAX_ID_LENGTH + 5 }),
        fc.constantFrom('x', '/', '%', 'é', '\ud83d\ude00', '..'),
      )
      .map(([length, piece]) => piece.repeat(Math.ceil(length / piece.length)).slice(0, length)),
    weight: 1,
  },
);

/** Whether `<key>:<native>` is refused before any upstream call (src/executions/ids.ts). */
function refused(key: string, native: string): boolean {
  const id = `${key}:${native}`;
  return (
    id.length > MAX_ID_LENGTH ||
    !id.isWellFormed() ||
    native === '' ||
    native === '.' ||
    native === '..'
  );
}

/** The requests a simulator received for executions: every one but CloudShell's login. */
function calls(h: Harness, key: string): SimRequest[] {
  return h.sims[key]!.requests.filter(
    ({ method, url }) => !(method === 'PUT' && url === '/api/login'),
  );
}

const EXECUTION = 'query ($id: ID!) { execution(id: $id) { id nativeId } }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(NO_POLICY);
});
afterAll(() => h.close());

describe.each(KEYS)('a generated %s native id', (key: Key) => {
  it('is refused before any call, or reaches the provider as one path segment of its template', async () => {
    const template = h.sims[key]!.definition.route;
    const prefix = template.slice(0, -'{id}'.length);
    await fc.assert(
      fc.asyncProperty(nativeIds, async (native) => {
        h.reset();
        const id = `${key}:${native}`;
        const refuse = refused(key, native);
        // The oracle agrees with the parser it describes.
        let parsed: unknown;
        try {
          parsed = parseGlobalId(id, KEYS);
        } catch {
          parsed = undefined;
        }
        expect(parsed === undefined, 'parseGlobalId refuses exactly what the oracle does').toBe(
          refuse,
        );

        const { status, body } = await h.query(EXECUTION, { id });
        expect(status).toBe(200);
        const [error, ...more] = body.errors ?? [];
        expect(more).toEqual([]);

        if (refuse) {
          expect(body.data).toEqual({ execution: null });
          expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
          for (const other of KEYS) expect(calls(h, other), other).toEqual([]);
          return;
        }

        expect(error?.extensions?.code).not.toBe('BAD_USER_INPUT');
        for (const other of KEYS) {
          if (other !== key) expect(calls(h, other), other).toEqual([]);
        }
        const received = calls(h, key);
        expect(received).toHaveLength(1);
        const [request] = received;
        expect(request!.method).toBe('GET');
        // The template's fixed part, then one segment: no `/`, `?` or `#` outside an escape.
        expect(request!.url.startsWith(prefix), request!.url).toBe(true);
        const segment = request!.url.slice(prefix.length);
        expect(segment, request!.url).toMatch(SEGMENT);
        expect(decodeURIComponent(segment)).toBe(native);
        expect(request!.id).toBe(native);
      }),
      { numRuns: RUNS },
    );
  });
});

/**
 * The customer id the subgraph takes from a header value `value`: what fetch sends (`Headers`
 * strips the HTTP whitespace around it), trimmed as a JavaScript string (`linkedAccountOf`), so
 * a Latin-1 no-break space (U+00A0) around it goes too.
 */
function customerOf(value: string): string {
  return new Headers({ [REFOLD_HEADER]: value }).get(REFOLD_HEADER)!.trim();
}

/** Header values: printable ASCII (the valid ones), any ASCII or Latin-1, any code point. */
const headerValues = fc.oneof(
  { arbitrary: fc.stringMatching(/^[\x21-\x7e]{1,256}$/), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 300 }), weight: 1 },
  {
    arbitrary: fc.string({
      unit: fc.integer({ min: 0x20, max: 0xff }).map((code) => String.fromCharCode(code)),
      maxLength: 40,
    }),
    weight: 2,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      'x'.repeat(256),
      'x'.repeat(257),
      ' demo-customer ',
      '\tdemo-customer',
      'demo customer',
      'a/../../admin',
      '?x=1#y',
      '../',
      'a%2Fb',
      'a\r\nx-injected: 1',
      'a\nb',
      'a\u0000b',
      'a\u0001b',
      'a\u007fb',
      'a\u00a0',
      '\u00a0a',
      'é',
    ),
    weight: 2,
  },
);

describe('a generated x-refold-linked-account-id', () => {
  it('reaches Refold only as its linked_account_id, never in the path, or is refused', async () => {
    await fc.assert(
      fc.asyncProperty(headerValues, async (value) => {
        h.reset();
        let response: Response;
        try {
          response = await fetch(`${h.app.url}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', [REFOLD_HEADER]: value },
            body: JSON.stringify({ query: EXECUTION, variables: { id: `refold:${REFOLD_ID}` } }),
          });
        } catch (error) {
          // What fetch cannot send (CR, LF or NUL inside, other controls, code points over
          // U+00FF) is not a request: it must be refused here, and nothing reached a provider.
          const code = (error as { cause?: { code?: string } }).cause?.code;
          if (
            !(error instanceof TypeError) ||
            (code !== undefined && code !== 'UND_ERR_INVALID_ARG')
          ) {
            throw error;
          }
          for (const key of KEYS) expect(calls(h, key), key).toEqual([]);
          return;
        }
        const text = await response.text();
        for (const key of KEYS) if (key !== 'refold') expect(calls(h, key), key).toEqual([]);
        const requests = calls(h, 'refold');
        if (!response.headers.get('content-type')?.startsWith('application/json')) {
          // Node's HTTP parser refused the request (a control character): it reached nothing.
          expect(response.status, text).toBe(400);
          expect(requests).toEqual([]);
          return;
        }
        const body = JSON.parse(text) as { errors?: Array<{ message: string; extensions?: any }> };
        const sent = customerOf(value);
        if (!/^[\x21-\x7e]{1,256}$/.test(sent)) {
          expect(body.errors?.[0]).toMatchObject({
            message: expect.stringContaining(REFOLD_HEADER),
            extensions: { code: 'BAD_USER_INPUT' },
          });
          expect(requests).toEqual([]);
          return;
        }
        expect(requests).toHaveLength(1);
        const [request] = requests;
        // The path is the template's with the execution id, and carries no query string.
        expect(request!.url).toBe(`/api/v2/public/execution/${REFOLD_ID}`);
        expect(request!.id).toBe(REFOLD_ID);
        expect(request!.headers.linked_account_id).toBe(sent);
        // No other header carries it (the API key and accept are fixed).
        const others = Object.entries(request!.headers).filter(
          ([name, header]) => name !== 'linked_account_id' && header === sent,
        );
        expect(others).toEqual([]);
        if (sent === 'demo-customer') expect(body.errors).toBeUndefined();
        else expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      }),
      { numRuns: RUNS },
    );
  });
});
