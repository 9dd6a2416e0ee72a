import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionRequests, startHarness, type Harness } from '../harness.js';

// The call policy end to end, on real time: over HTTP, through the subgraph, against the
// simulators. What depends on time (the deadline to the millisecond, Retry-After waits, the
// breaker's cool-down and probe, a client leaving during a wait) is counted exactly on fake
// timers in policy-clock.test.ts; each test here has at most one generous bound.

// One provider per concern, so one test's breaker state cannot reach another's.
const ENV = {
  SERVERLESS_WORKFLOW_TIMEOUT_MS: '400',
  PAYMENT_WORKFLOW_TIMEOUT_MS: '3000',
  DURABLE_WORKFLOW_BREAKER_THRESHOLD: '3',
  // Long enough that the call after the third failure still finds the circuit open.
  DURABLE_WORKFLOW_BREAKER_COOLDOWN_MS: '1000',
};

let h: Harness;
let ids: Record<'durable' | 'refold' | 'payment' | 'serverless', string>;
beforeAll(async () => {
  h = await startHarness(ENV);
  ids = {
    durable: 'wf_root_1',
    refold: h.sims.refold.seeded[0]!.id,
    payment: h.sims.payment.seeded[0]!.id,
    serverless: h.sims.serverless.seeded[0]!.id,
  };
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const PAIR = 'query ($ids: [ID!]!) { executions(ids: $ids) { id } }';

async function readyCircuit(provider: string): Promise<string> {
  const ready = (await (await fetch(`${h.app.url}/readyz`)).json()) as {
    providers: Record<string, { circuit: string }>;
  };
  return ready.providers[provider]!.circuit;
}

describe('deadline', () => {
  it('answers a hanging provider with UPSTREAM_TIMEOUT within its deadline, others intact', async () => {
    h.sims.serverless.inject({ kind: 'hang' }, { times: Infinity });
    const started = performance.now();
    const { body } = await h.query(PAIR, {
      ids: [`serverless:${ids.serverless}`, `durable:${ids.durable}`],
    });
    // At exactly the deadline: policy-clock.test.ts.
    expect(performance.now() - started).toBeLessThan(400 + 600);
    expect(body.data?.executions).toEqual([null, { id: `durable:${ids.durable}` }]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['executions', 0],
        extensions: { code: 'UPSTREAM_TIMEOUT', provider: 'SERVERLESS_WORKFLOW' },
      }),
    ]);
    // The hanging call was abandoned, not left open.
    await expect.poll(() => executionRequests(h.sims, 'serverless')[0]?.aborted).toBe(true);
  });
});

describe('retries', () => {
  it('retries a 503 twice and then answers', async () => {
    h.sims.payment.inject({ kind: 'status', status: 503 }, { times: 2 });
    const { body } = await h.query(PAIR, { ids: [`payment:${ids.payment}`] });
    expect(body.errors).toBeUndefined();
    expect(body.data?.executions).toEqual([{ id: `payment:${ids.payment}` }]);
    expect(executionRequests(h.sims, 'payment')).toHaveLength(3);
  });

  it('does not retry a 500 or a 404', async () => {
    h.sims.payment.inject({ kind: 'status', status: 500 }, { times: Infinity, id: ids.payment });
    const { body } = await h.query(PAIR, { ids: [`payment:${ids.payment}`, 'payment:missing'] });
    expect(body.errors?.map((e) => e.extensions?.code).sort()).toEqual([
      'NOT_FOUND',
      'UPSTREAM_ERROR',
    ]);
    expect(executionRequests(h.sims, 'payment')).toHaveLength(2);
  });

  it('answers UPSTREAM_RATE_LIMITED at once when Retry-After is past the deadline', async () => {
    h.sims.payment.inject(
      { kind: 'status', status: 429, retryAfterSeconds: 30 },
      { times: Infinity },
    );
    const started = performance.now();
    const { body } = await h.query(PAIR, { ids: [`payment:${ids.payment}`] });
    expect(performance.now() - started).toBeLessThan(1000);
    expect(body.errors?.[0]).toMatchObject({
      extensions: {
        code: 'UPSTREAM_RATE_LIMITED',
        provider: 'PAYMENT_WORKFLOW',
        retryAfterSeconds: 30,
      },
    });
    expect(executionRequests(h.sims, 'payment')).toHaveLength(1);
  });
});

describe('circuit breaker', () => {
  // The cool-down, the one probe and the circuit closing again: policy-clock.test.ts.
  it('opens after repeated failures, and fails fast while open', async () => {
    h.sims.durable.inject({ kind: 'status', status: 503 }, { times: Infinity });
    for (let call = 0; call < 3; call++) {
      const { body } = await h.query(PAIR, { ids: [`durable:${ids.durable}`] });
      expect(body.errors?.[0]).toMatchObject({
        extensions: { code: 'UPSTREAM_ERROR', status: 503 },
      });
    }
    // Three calls, each tried three times.
    expect(executionRequests(h.sims, 'durable')).toHaveLength(9);
    expect(await readyCircuit('DURABLE_WORKFLOW')).toBe('open');

    const { body: fast } = await h.query(PAIR, { ids: [`durable:${ids.durable}`] });
    expect(fast.errors?.[0]).toMatchObject({
      path: ['executions', 0],
      extensions: {
        code: 'UPSTREAM_UNAVAILABLE',
        provider: 'DURABLE_WORKFLOW',
        retryAfterSeconds: 1,
      },
    });
    expect(executionRequests(h.sims, 'durable')).toHaveLength(9);
    expect(await readyCircuit('DURABLE_WORKFLOW')).toBe('open');
  });
});

describe('bad bodies', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => void process.on('unhandledRejection', onUnhandled));
  afterAll(() => void process.off('unhandledRejection', onUnhandled));

  it.each([
    ['malformed JSON', { kind: 'malformed' }],
    ['a body over 1 MiB', { kind: 'oversized', bytes: 2 * 1024 * 1024 }],
    ['a truncated body', { kind: 'truncated' }],
    ['a wrong-shaped body', { kind: 'wrongShape' }],
    ['an HTML error page', { kind: 'html' }],
  ] as const)('turns %s into UPSTREAM_ERROR for that item and keeps serving', async (_, fault) => {
    // Kept on for every attempt: truncated bodies and 502 pages are retried.
    h.sims.refold.inject(fault, { id: ids.refold, times: Infinity });
    const { body } = await h.query(PAIR, {
      ids: [`refold:${ids.refold}`, `payment:${ids.payment}`],
    });
    expect(body.data?.executions).toEqual([null, { id: `payment:${ids.payment}` }]);
    expect(body.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR', provider: 'REFOLD' }),
      }),
    ]);
    h.sims.refold.clearFaults();
    const { body: next } = await h.query(PAIR, { ids: [`refold:${ids.refold}`] });
    expect(next.errors).toBeUndefined();
    expect(unhandled).toEqual([]);
  });

  it('reads no further than 1 MiB, says so, and does not retry it', async () => {
    h.sims.refold.inject({ kind: 'oversized', bytes: 2 * 1024 * 1024 }, { times: Infinity });
    const { body } = await h.query(PAIR, { ids: [`refold:${ids.refold}`] });
    expect(body.errors?.[0]?.message).toBe(
      'REFOLD sent a response this service cannot read: body larger than 1048576 bytes.',
    );
    expect(executionRequests(h.sims, 'refold')).toHaveLength(1);
  });
});

describe('client disconnect', () => {
  it('aborts the upstream calls of a request whose client went away', async () => {
    h.sims.refold.latencyMs = 5_000;
    const client = new AbortController();
    const request = fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-refold-linked-account-id': 'demo-customer',
      },
      body: JSON.stringify({ query: `{ execution(id: "refold:${ids.refold}") { id } }` }),
      signal: client.signal,
    });
    await expect.poll(() => executionRequests(h.sims, 'refold').length).toBe(1);
    client.abort();
    await expect(request).rejects.toThrow();
    await expect.poll(() => executionRequests(h.sims, 'refold')[0]?.aborted).toBe(true);
  });
});
