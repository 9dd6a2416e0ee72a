import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { providers, providerSettings } from '../../src/providers.js';
import { simulatorEnv } from '../../src/demo.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startApp, type App } from '../../src/http/server.js';
import type { Fault } from '../../src/simulators/index.js';
import {
  executionRequests,
  NO_POLICY,
  startHarness,
  type GraphQLBody,
  type GraphQLErrorShape,
  type Harness,
} from '../harness.js';

interface Row {
  key: string;
  provider: string;
  nativeId: string;
}

const rows: Row[] = [
  { key: 'cloudshell', provider: 'CLOUDSHELL', nativeId: '1DEB29BF-22B0-4CF6-B7BE-02173520EB81' },
  { key: 'durable', provider: 'DURABLE_WORKFLOW', nativeId: 'wf_root_1' },
  { key: 'refold', provider: 'REFOLD', nativeId: '674d2a10c1f3b2a9e0a10001' },
  {
    key: 'payment',
    provider: 'PAYMENT_WORKFLOW',
    nativeId: '8c1f5d2e-4b7a-4e93-9a60-000000000001',
  },
  { key: 'serverless', provider: 'SERVERLESS_WORKFLOW', nativeId: 'dfq0a1b2c3d4e5f6g7h8' },
];

const gid = (row: Row, nativeId = row.nativeId) => `${row.key}:${nativeId}`;
/** Another provider's row, whose item must stay intact beside the failed one. */
const partnerOf = (row: Row) => rows[(rows.indexOf(row) + 1) % rows.length]!;

const QUERY = 'query ($ids: [ID!]!) { executions(ids: $ids) { id provider } }';
type ExecutionsData = { executions: Array<{ id: string; provider: string } | null> };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let h: Harness;
beforeAll(async () => {
  h = await startHarness(NO_POLICY);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Fails nothing on its own: asserts the body reveals no host, port, credential or stack trace. */
function expectNoLeak(body: GraphQLBody<unknown>): void {
  const text = JSON.stringify(body);
  const messages = (body.errors ?? []).map((error) => error.message).join('\n');
  const secrets = Object.values(h.sims).flatMap((sim) =>
    ['token', 'apiKey', 'password'].flatMap((name) => sim.credentials[name] ?? []),
  );
  expect(secrets.length).toBeGreaterThanOrEqual(5);
  for (const needle of ['127.0.0.1', 'localhost', 'cs-token-', ...secrets]) {
    expect(text).not.toContain(needle);
  }
  for (const sim of Object.values(h.sims)) {
    const port = new URL(sim.url).port;
    expect(text).not.toContain(`:${port}`);
    expect(messages).not.toContain(port);
  }
  expect(text).not.toMatch(/\n\s*at |\bat \S+ \(|\.[cm]?[jt]s:\d+:\d+/);
  for (const error of body.errors ?? []) {
    expect(error.extensions ?? {}).not.toHaveProperty('stacktrace');
  }
}

/**
 * Queries `[partner, failed]` in one `executions(ids)` and asserts partial data: the partner is
 * intact, the failed item is null with exactly one error. Returns that error.
 */
async function failedItem(row: Row, nativeId = row.nativeId, headers?: Record<string, string>) {
  const partner = partnerOf(row);
  const ids = [gid(partner), gid(row, nativeId)];
  const { status, body } = await h.query<ExecutionsData>(QUERY, { ids }, headers);
  expect(status).toBe(200);
  expect(body.data?.executions).toEqual([{ id: gid(partner), provider: partner.provider }, null]);
  expect(body.errors).toHaveLength(1);
  expectNoLeak(body);
  const [error] = body.errors ?? [];
  if (!error) throw new Error('expected one error');
  expect(error.path).toEqual(['executions', 1]);
  return error;
}

const httpStatus = (status: number, retryAfterSeconds?: number): Fault =>
  retryAfterSeconds === undefined
    ? { kind: 'status', status }
    : { kind: 'status', status, retryAfterSeconds };

/** [what the provider sends, the expected code, the fault, further expected extensions] */
const faultCases: Array<[string, string, Fault, Record<string, unknown>]> = [
  ['a 401', 'UPSTREAM_UNAUTHORIZED', httpStatus(401), { status: 401 }],
  ['a 403', 'UPSTREAM_UNAUTHORIZED', httpStatus(403), { status: 403 }],
  ['a 429 with Retry-After', 'UPSTREAM_RATE_LIMITED', httpStatus(429, 7), { retryAfterSeconds: 7 }],
  [
    'a 500',
    'UPSTREAM_ERROR',
    httpStatus(500),
    { status: 500, upstreamRequestId: expect.stringMatching(UUID) },
  ],
  ['malformed JSON', 'UPSTREAM_ERROR', { kind: 'malformed' }, {}],
  ['a wrong-shaped body', 'UPSTREAM_ERROR', { kind: 'wrongShape' }, {}],
  ['an html error page', 'UPSTREAM_ERROR', { kind: 'html' }, { status: 502 }],
  ['a truncated body', 'UPSTREAM_ERROR', { kind: 'truncated' }, {}],
];

describe.each(rows)('$provider upstream failures', (row) => {
  it.each(faultCases)(
    'maps %s to %s on the failed item only',
    async (_name, code, fault, extensions) => {
      h.sims[row.key].inject(fault, { id: row.nativeId, times: Infinity });
      const error = await failedItem(row);
      expect(error).toMatchObject({
        path: ['executions', 1],
        extensions: { code, provider: row.provider, ...extensions },
      });
      expect(executionRequests(h.sims, row.key).length).toBeGreaterThanOrEqual(1);
    },
  );

  it('maps an unknown id (upstream 404) to NOT_FOUND', async () => {
    const error = await failedItem(row, `${row.nativeId}-missing`);
    expect(error).toMatchObject({
      path: ['executions', 1],
      extensions: { code: 'NOT_FOUND', provider: row.provider },
    });
    expect(executionRequests(h.sims, row.key).map((r) => r.id)).toEqual([
      `${row.nativeId}-missing`,
    ]);
  });

  it('leaves retryAfterSeconds out of a 429 without Retry-After', async () => {
    h.sims[row.key].inject({ kind: 'status', status: 429 }, { id: row.nativeId, times: Infinity });
    const error = await failedItem(row);
    expect(error).toMatchObject({
      extensions: { code: 'UPSTREAM_RATE_LIMITED', provider: row.provider },
    });
    expect(error.extensions).not.toHaveProperty('retryAfterSeconds');
  });

  it('tries a 401 once, or once more after a fresh login for CloudShell', async () => {
    h.sims[row.key].inject({ kind: 'status', status: 401 }, { id: row.nativeId, times: Infinity });
    await failedItem(row);
    const expected = row.key === 'cloudshell' ? 2 : 1;
    expect(executionRequests(h.sims, row.key)).toHaveLength(expected);
  });
});

describe('a provider that is not configured', () => {
  let app: App;
  const payment = rows.find((row) => row.key === 'payment')!;
  const durable = rows.find((row) => row.key === 'durable')!;

  beforeAll(async () => {
    const env = Object.fromEntries(
      Object.entries(simulatorEnv(h.sims)).filter(
        ([name]) => !name.startsWith('PAYMENT_WORKFLOW_'),
      ),
    );
    const config = loadConfig({ ...env, PORT: '0', HOST: '127.0.0.1' }, providerSettings);
    expect(config.providers.has('payment')).toBe(false);
    app = await startApp(config, createLogger('silent'), { registry: providers });
  });
  afterAll(() => app.close());

  async function post(ids: string[]) {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY, variables: { ids } }),
    });
    return (await response.json()) as GraphQLBody<ExecutionsData>;
  }

  it('answers PROVIDER_NOT_CONFIGURED for its item and keeps the others', async () => {
    const body = await post([gid(durable), gid(payment)]);
    expect(body.data?.executions).toEqual([{ id: gid(durable), provider: durable.provider }, null]);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['executions', 1],
      extensions: { code: 'PROVIDER_NOT_CONFIGURED', provider: 'PAYMENT_WORKFLOW' },
    });
    expectNoLeak(body);
    expect(h.sims.payment.requests).toHaveLength(0);
  });

  it('sends no request anywhere', async () => {
    const body = await post([gid(payment)]);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual([
      'PROVIDER_NOT_CONFIGURED',
    ]);
    for (const sim of Object.values(h.sims)) expect(sim.requests).toHaveLength(0);
  });
});

describe('Refold without the linked-account header', () => {
  const refold = rows.find((row) => row.key === 'refold')!;

  it('answers BAD_USER_INPUT naming the header and calls no upstream for it', async () => {
    const error: GraphQLErrorShape = await failedItem(refold, refold.nativeId, {});
    expect(error).toMatchObject({
      path: ['executions', 1],
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(error.message).toContain('x-refold-linked-account-id');
    expect(h.sims.refold.requests).toHaveLength(0);
  });
});
