import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { executionRequests, startHarness, type Harness } from '../harness.js';

// One connection to the durable provider: a second call waits in the pool's queue.
const ENV = {
  DURABLE_WORKFLOW_CONCURRENCY: '1',
  DURABLE_WORKFLOW_TIMEOUT_MS: '500',
  DURABLE_WORKFLOW_RETRIES: '0',
};
const PAIR = 'query ($ids: [ID!]!) { executions(ids: $ids) { id } }';
const IDS = ['durable:wf_root_1', 'durable:wf_child_1a'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness(ENV);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('calls queued behind the concurrency cap', () => {
  it('times out within the deadline while queued, and the queued call is not sent after it', async () => {
    h.sims.durable.inject({ kind: 'hang' }, { times: Infinity });
    const started = performance.now();
    const { body } = await h.query(PAIR, { ids: IDS });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(490);
    expect(elapsed).toBeLessThan(500 + 600);
    expect(body.data?.executions).toEqual([null, null]);
    expect(body.errors?.map((error) => error.extensions?.code)).toEqual([
      'UPSTREAM_TIMEOUT',
      'UPSTREAM_TIMEOUT',
    ]);
    await settle();
    // The first call is sent and hangs until its deadline. The queued one is sent only if the
    // connection freed up before its own deadline: the first call's deadline (a moment before
    // its own) aborts the connection, and undici may hand the queued call a new one while its
    // timer has a millisecond left (seen on a loaded machine). Never after its deadline, and
    // aborted at it like the first.
    const sent = executionRequests(h.sims, 'durable');
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(sent.length).toBeLessThanOrEqual(2);
    const [first, second] = sent;
    expect(first!.aborted).toBe(true);
    if (second) {
      // Both calls started together, so the first call's arrival stands for their start.
      expect(second.startedAt - first!.startedAt).toBeGreaterThanOrEqual(480);
      expect(second.startedAt - first!.startedAt).toBeLessThan(510);
      expect(second.aborted).toBe(true);
    }
  });

  it('drops a queued call when its client goes away, and aborts the one in flight', async () => {
    h.sims.durable.latencyMs = 5_000;
    const client = new AbortController();
    const request = fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PAIR, variables: { ids: IDS } }),
      signal: client.signal,
    });
    await expect.poll(() => executionRequests(h.sims, 'durable').length).toBe(1);
    client.abort();
    await expect(request).rejects.toThrow();
    await expect.poll(() => executionRequests(h.sims, 'durable')[0]?.aborted).toBe(true);
    await settle();
    expect(executionRequests(h.sims, 'durable')).toHaveLength(1);
  });

  it('sends the queued call once the connection is free', async () => {
    const { body } = await h.query(PAIR, { ids: IDS });
    expect(body.errors).toBeUndefined();
    expect(executionRequests(h.sims, 'durable')).toHaveLength(2);
    expect(h.sims.durable.maxInFlight).toBe(1);
  });
});
