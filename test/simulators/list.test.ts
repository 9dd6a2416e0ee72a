import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startDurableSimulator } from '../../src/simulators/durable.js';
import { REFOLD_DEMO_LINKED_ACCOUNT, startRefoldSimulator } from '../../src/simulators/refold.js';
import { startServerlessSimulator } from '../../src/simulators/serverless.js';
import type { Simulator } from '../../src/simulators/server.js';

/** What the three list calls have in common: a path, the auth, the ids of an answer. */
interface Case {
  start(): Promise<Simulator & { listCalls: number }>;
  list: string;
  auth: Record<string, string>;
  get: (id: string) => string;
  ids: (body: unknown) => string[];
  error: (status: number, requestId: string) => unknown;
}

const cases: Record<string, Case> = {
  durable: {
    start: startDurableSimulator,
    list: '/api/v1/workflows/runs?workflow_type=workflow&limit=5',
    auth: { authorization: 'Bearer demo-durable-token' },
    get: (id) => `/api/v1/executions/${id}`,
    ids: (body) => (body as Array<{ id: string }>).map(({ id }) => id),
    error: () => ({ error: { code: expect.any(String), message: expect.any(String) } }),
  },
  refold: {
    start: startRefoldSimulator,
    list: '/api/v2/public/execution?limit=5',
    auth: { 'x-api-key': 'demo-refold-key', linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT },
    get: (id) => `/api/v2/public/execution/${id}`,
    ids: (body) => (body as { docs: Array<{ _id: string }> }).docs.map(({ _id }) => _id),
    error: (status, requestId) => ({
      status_code: status,
      http_error_type: expect.any(String),
      error_code: expect.any(String),
      message: expect.any(String),
      request_id: requestId,
    }),
  },
  serverless: {
    start: startServerlessSimulator,
    list: '/workflows/v1/execution?workflowId=dfqw1x2y3z4a5b6c7d8e&pageSize=5',
    auth: { authorization: 'Bearer demo-serverless-token' },
    get: (id) => `/workflows/v1/execution/${id}`,
    ids: (body) => (body as { executions: Array<{ id: string }> }).executions.map(({ id }) => id),
    error: (status, requestId) => ({
      code: status === 401 ? 16 : 14,
      message: expect.any(String),
      details: [expect.objectContaining({ requestId })],
    }),
  },
};

describe.each(Object.keys(cases))('%s list call', (key) => {
  const c = cases[key]!;
  let sim: Simulator & { listCalls: number };
  const call = (path: string, headers = c.auth) => fetch(`${sim.url}${path}`, { headers });

  beforeAll(async () => {
    sim = await c.start();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.reset());

  it('answers five ids with the provider auth, and 401 with its error body without', async () => {
    const ok = await call(c.list);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/json');
    expect(c.ids(await ok.json())).toHaveLength(5);
    const denied = await call(c.list, {});
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual(c.error(401, denied.headers.get('x-request-id')!));
  });

  it('counts list calls, refused ones included, not GETs; reset() clears the count', async () => {
    expect(sim.listCalls).toBe(0);
    await (await call(c.list)).arrayBuffer();
    await (await call(c.list, {})).arrayBuffer();
    await (await call(c.get(sim.seeded[0]!.id))).arrayBuffer();
    expect(sim.listCalls).toBe(2);
    sim.reset();
    expect(sim.listCalls).toBe(0);
  });

  it("answers the next list call with a fault injected on 'list', and leaves GETs alone", async () => {
    sim.inject({ kind: 'status', status: 503 }, { on: 'list', times: 1 });
    expect((await call(c.get(sim.seeded[0]!.id))).status).toBe(200);
    const failed = await call(c.list);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toEqual(c.error(503, failed.headers.get('x-request-id')!));
    expect((await call(c.list)).status).toBe(200);
    expect(sim.listCalls).toBe(2);
  });

  it('leaves list calls alone with a fault injected on GETs or for an id', async () => {
    sim.inject({ kind: 'status', status: 500 }, { times: Infinity });
    sim.inject({ kind: 'status', status: 500 }, { on: 'list', id: sim.seeded[0]!.id });
    expect((await call(c.list)).status).toBe(200);
    expect((await call(c.get(sim.seeded[0]!.id))).status).toBe(500);
  });

  it('sends the malformed, wrong-shape and truncated faults on a list call', async () => {
    sim.inject({ kind: 'malformed' }, { on: 'list' });
    sim.inject({ kind: 'wrongShape' }, { on: 'list' });
    sim.inject({ kind: 'truncated' }, { on: 'list' });
    await expect((await call(c.list)).json()).rejects.toThrow();
    expect(await (await call(c.list)).json()).toEqual({ unexpected: true });
    await expect((await call(c.list)).text()).rejects.toThrow();
  });

  it('waits latencyMs before answering a list call', async () => {
    sim.latencyMs = 120;
    const began = performance.now();
    expect((await call(c.list)).status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(115);
  });

  it('lists the history after the seeded executions, each also answered by its GET', async () => {
    expect(sim.history.length).toBeGreaterThanOrEqual(60);
    const id = sim.history[0]!.id;
    expect(sim.records.has(id)).toBe(true);
    expect((await call(c.get(id))).status).toBe(200);
  });
});
