import { describe, it, expect, afterEach } from 'vitest';
import { startDurableSimulator } from '../../src/simulators/durable.js';
import { REFOLD_DEMO_LINKED_ACCOUNT, startRefoldSimulator } from '../../src/simulators/refold.js';
import { startServerlessSimulator } from '../../src/simulators/serverless.js';
import type { Simulator, StartOptions } from '../../src/simulators/server.js';

type Started = Simulator & { startCalls: number; stepsCalls: number };

/** What the three start calls (and the two steps calls) have in common. */
interface Case {
  start(options?: StartOptions): Promise<Started>;
  auth: Record<string, string>;
  /** The start call: its path and JSON body, and the new id in its answer. */
  path: string;
  /** Its route template, as `SimRequest.route` names it. */
  route: string;
  body: string;
  newId(answer: unknown): string;
  /** The execution a start names (a rerun's original), if any. */
  subject: string | null;
  get: (id: string) => string;
  statusOf(body: unknown): string;
  list: string;
  ids(body: unknown): string[];
  /** The statuses a started execution goes through, first to last. */
  states: string[];
  /** The steps call for an execution, when the provider has one. */
  steps?: { path(id: string): string; route: string; id: string; other: string };
}

const ERRORED_REFOLD = '65410cf6cdf931a12d7ab009';

const cases: Record<string, Case> = {
  durable: {
    start: startDurableSimulator,
    auth: { authorization: 'Bearer demo-durable-token' },
    path: '/api/v1/workflows/nightly-sync/run',
    route: 'POST /api/v1/workflows/{id}/run',
    body: JSON.stringify({ payload: { tables: 12 } }),
    newId: (answer) => (answer as { execution_id: string }).execution_id,
    subject: null,
    get: (id) => `/api/v1/executions/${id}`,
    statusOf: (body) => (body as { status: string }).status,
    list: '/api/v1/workflows/runs?limit=1',
    ids: (body) => (body as Array<{ id: string }>).map(({ id }) => id),
    states: ['queued', 'running', 'completed'],
    steps: {
      path: (id) =>
        `/api/v1/events?topic=${encodeURIComponent(`workflow/${id === 'wf_root_1' ? 'order-fulfilment' : 'monthly-billing'}/${id}`)}`,
      route: 'GET /api/v1/events',
      id: 'wf_root_1',
      other: 'wf_billing_7',
    },
  },
  refold: {
    start: startRefoldSimulator,
    auth: { 'x-api-key': 'demo-refold-key', linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT },
    path: `/api/v2/public/execution/${ERRORED_REFOLD}/rerun`,
    route: 'POST /api/v2/public/execution/{id}/rerun',
    body: '',
    newId: (answer) => (answer as { id: string }).id,
    subject: ERRORED_REFOLD,
    get: (id) => `/api/v2/public/execution/${id}`,
    statusOf: (body) => (body as { status: string }).status,
    list: '/api/v2/public/execution?limit=1',
    ids: (body) => (body as { docs: Array<{ _id: string }> }).docs.map(({ _id }) => _id),
    states: ['RUNNING', 'COMPLETED'],
  },
  serverless: {
    start: startServerlessSimulator,
    auth: { authorization: 'Bearer demo-serverless-token' },
    path: '/workflows/v1/execution/start',
    route: 'POST /workflows/v1/execution/start',
    body: JSON.stringify({
      workflowId: 'dfqw1x2y3z4a5b6c7d8e',
      input: { inputJson: '{"orderId":6}' },
    }),
    newId: (answer) => (answer as { executionId: string }).executionId,
    subject: null,
    get: (id) => `/workflows/v1/execution/${id}`,
    statusOf: (body) => (body as { execution: { status: string } }).execution.status,
    list: '/workflows/v1/execution?workflowId=dfqw1x2y3z4a5b6c7d8e&pageSize=1',
    ids: (body) => (body as { executions: Array<{ id: string }> }).executions.map(({ id }) => id),
    states: ['QUEUED', 'RUNNING', 'FINISHED'],
    steps: {
      path: (id) => `/workflows/v1/execution/${id}/history`,
      route: 'GET /workflows/v1/execution/{id}/history',
      id: 'dfq4e5f6g7h8i9j0k1l2',
      other: 'dfq5f6g7h8i9j0k1l2m3',
    },
  },
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(Object.keys(cases))('%s start call', (key) => {
  const c = cases[key]!;
  const opened: Started[] = [];
  const open = async (options: StartOptions = {}) => {
    const sim = await c.start(options);
    opened.push(sim);
    return sim;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((sim) => sim.close()));
  });
  const start = (sim: Started, init: RequestInit = {}) =>
    fetch(`${sim.url}${c.path}`, {
      method: 'POST',
      headers: { ...c.auth, 'content-type': 'application/json' },
      body: c.body,
      ...init,
    });
  const startedId = async (sim: Started) => {
    const res = await start(sim);
    expect(res.status).toBe(200);
    return c.newId(await res.json());
  };
  const statusOf = async (sim: Started, id: string) => {
    const res = await fetch(`${sim.url}${c.get(id)}`, { headers: c.auth });
    expect(res.status).toBe(200);
    return c.statusOf(await res.json());
  };
  /** The statuses a GET answers for `id` until the last of `c.states`, each once, in order. */
  const statesSeen = async (sim: Started, id: string) => {
    const seen: string[] = [];
    for (let i = 0; i < 400 && seen.at(-1) !== c.states.at(-1); i++) {
      const status = await statusOf(sim, id);
      if (seen.at(-1) !== status) seen.push(status);
      await sleep(5);
    }
    return seen;
  };
  const stored = (sim: Started) => sim.seeded.length + sim.history.length;

  it('moves a started execution through its states every stepMs, listed and GET-able', async () => {
    const sim = await open({ stepMs: 60 });
    const id = await startedId(sim);
    expect(sim.live.has(id)).toBe(true);
    expect(await statesSeen(sim, id)).toEqual(c.states);
    const list = await fetch(`${sim.url}${c.list}`, { headers: c.auth });
    expect(c.ids(await list.json())).toEqual([id]);
  });

  it('moves it one state every stopDelayMs when there is no stepMs', async () => {
    const sim = await open({ stopDelayMs: 60 });
    const id = await startedId(sim);
    expect(sim.live.has(id)).toBe(false);
    expect(await statesSeen(sim, id)).toEqual(c.states);
  });

  it('moves it from its start even when live executions wait for their first read', async () => {
    const sim = await open({ stepMs: 10, liveFromFirstRead: true });
    const id = await startedId(sim);
    await sleep(150);
    expect(await statusOf(sim, id)).toBe(c.states.at(-1));
    // A seeded live execution, never read, has not moved.
    const live = sim.seeded.find((seed) => sim.live.has(seed.id))!;
    expect(await statusOf(sim, live.id)).toBe(live.status);
  });

  it('counts start calls on arrival; reset() clears them and removes what starts created', async () => {
    const sim = await open();
    const id = await startedId(sim);
    await start(sim, { headers: {} });
    expect(sim.startCalls).toBe(2);
    // Not stops: no action, only their route.
    expect(sim.requests.map(({ route, action, id: of }) => [route, action, of])).toEqual([
      [c.route, null, null],
      [c.route, null, null],
    ]);
    expect(sim.records.size).toBe(stored(sim) + 1);
    sim.reset();
    expect(sim.startCalls).toBe(0);
    expect(sim.records.size).toBe(stored(sim));
    expect((await fetch(`${sim.url}${c.get(id)}`, { headers: c.auth })).status).toBe(404);
  });

  it("answers a fault injected on 'start' instead, starting nothing, then starts again", async () => {
    const sim = await open();
    sim.inject({ kind: 'status', status: 503 }, { on: 'start' });
    const failed = await start(sim);
    expect(failed.status).toBe(503);
    expect(await failed.text()).toContain('Service Unavailable');
    expect(sim.records.size).toBe(stored(sim));
    sim.inject({ kind: 'wrongShape' }, { on: 'start' });
    expect(await (await start(sim)).json()).toEqual({ unexpected: true });
    expect(sim.records.size).toBe(stored(sim));
    await startedId(sim);
    expect(sim.startCalls).toBe(3);
  });

  it("leaves GETs, lists and steps to their own faults, and starts to 'start' faults", async () => {
    const sim = await open();
    for (const on of ['get', 'list', 'steps', 'stop'] as const) {
      sim.inject({ kind: 'status', status: 500 }, { on });
    }
    await startedId(sim);
    sim.clearFaults();
    sim.inject({ kind: 'status', status: 500 }, { on: 'start' });
    expect((await fetch(`${sim.url}${c.list}`, { headers: c.auth })).status).toBe(200);
    expect(await statusOf(sim, sim.seeded[0]!.id)).toBe(sim.seeded[0]!.status);
    if (c.steps) {
      const steps = await fetch(`${sim.url}${c.steps.path(c.steps.id)}`, { headers: c.auth });
      expect(steps.status).toBe(200);
    }
    expect((await start(sim)).status).toBe(500);
  });

  it('answers a start that hangs never, until the client gives up; nothing starts', async () => {
    const sim = await open();
    sim.inject({ kind: 'hang' }, { on: 'start' });
    const began = Date.now();
    await expect(start(sim, { signal: AbortSignal.timeout(150) })).rejects.toThrow();
    expect(Date.now() - began).toBeGreaterThanOrEqual(140);
    for (let i = 0; i < 100 && sim.inFlight > 0; i++) await sleep(5);
    expect(sim.requests.at(-1)!.aborted).toBe(true);
    expect(sim.records.size).toBe(stored(sim));
    expect(sim.startCalls).toBe(1);
  });

  it('makes the start a cut answer (truncated) belongs to', async () => {
    const sim = await open();
    sim.inject({ kind: 'truncated' }, { on: 'start' });
    await expect(start(sim).then((res) => res.text())).rejects.toThrow();
    expect(sim.records.size).toBe(stored(sim) + 1);
  });

  it('waits latencyMs before answering a start', async () => {
    const sim = await open({ latencyMs: 120 });
    const began = performance.now();
    await startedId(sim);
    expect(performance.now() - began).toBeGreaterThanOrEqual(115);
  });

  it(
    c.subject === null
      ? 'answers a start whatever fault is queued for an execution id (a start names none)'
      : 'answers a start fault with an id only for that execution',
    async () => {
      const sim = await open();
      sim.inject({ kind: 'status', status: 503 }, { on: 'start', id: 'someone-else' });
      await startedId(sim);
      sim.clearFaults();
      if (c.subject === null) {
        sim.inject({ kind: 'status', status: 503 }, { on: 'start', id: 'any-execution' });
        expect((await start(sim)).status).toBe(200);
      } else {
        sim.inject({ kind: 'status', status: 503 }, { on: 'start', id: c.subject });
        expect((await start(sim)).status).toBe(503);
      }
    },
  );
});

describe.each(Object.keys(cases).filter((key) => cases[key]!.steps))('%s steps call', (key) => {
  const c = cases[key]!;
  const steps = c.steps!;
  const opened: Started[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((sim) => sim.close()));
  });
  const open = async (options: StartOptions = {}) => {
    const sim = await c.start(options);
    opened.push(sim);
    return sim;
  };
  const read = (sim: Started, id: string, init: RequestInit = {}) =>
    fetch(`${sim.url}${steps.path(id)}`, { headers: c.auth, ...init });

  it("answers a fault injected on 'steps', counted, and only that execution's with an id", async () => {
    const sim = await open();
    sim.inject({ kind: 'status', status: 503 }, { on: 'steps' });
    expect((await read(sim, steps.id)).status).toBe(503);
    expect((await read(sim, steps.id)).status).toBe(200);
    sim.inject({ kind: 'malformed' }, { on: 'steps', id: steps.id });
    expect((await read(sim, steps.other)).status).toBe(200);
    const bad = await read(sim, steps.id);
    await expect(bad.json()).rejects.toThrow();
    expect(sim.stepsCalls).toBe(4);
    expect(
      new Set(sim.requests.map(({ route, action, id }) => `${route} ${action} ${id}`)),
    ).toEqual(new Set([`${steps.route} null null`]));
    sim.reset();
    expect(sim.stepsCalls).toBe(0);
  });

  it('leaves the GET of the same execution alone', async () => {
    const sim = await open();
    sim.inject({ kind: 'status', status: 500 }, { on: 'steps', times: Infinity });
    expect((await fetch(`${sim.url}${c.get(steps.id)}`, { headers: c.auth })).status).toBe(200);
    sim.clearFaults();
    sim.inject({ kind: 'status', status: 500 }, { on: 'get', times: Infinity });
    expect((await read(sim, steps.id)).status).toBe(200);
  });

  it('hangs until the client gives up, and waits latencyMs', async () => {
    const sim = await open({ latencyMs: 100 });
    const began = performance.now();
    expect((await read(sim, steps.id)).status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(95);
    sim.inject({ kind: 'hang' }, { on: 'steps' });
    await expect(read(sim, steps.id, { signal: AbortSignal.timeout(250) })).rejects.toThrow();
  });
});
