import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { Client } from 'undici';
import { authorization, startSimulator } from '../../src/simulators/server.js';
import type { Simulator, SimulatorDefinition } from '../../src/simulators/server.js';

const testSimulator: SimulatorDefinition = {
  provider: 'durable',
  route: '/api/v1/executions/{id}',
  credentials: { token: 't0ken' },
  record: (id, status) => ({ id, status }),
  seed: () => [
    { id: 'a', status: 'running', record: { id: 'a', status: 'running' } },
    { id: 'b', status: 'failed', record: { id: 'b', status: 'failed' } },
  ],
  errorBody: (error, requestId) => ({ error: error.message, status: error.status, requestId }),
  attach: ({ credentials }) => ({
    authorize: (headers) =>
      authorization(headers, 'Bearer') === credentials.token
        ? null
        : { status: 401, message: 'bad token' },
  }),
};

const auth = { authorization: 'Bearer t0ken' };
let sim: Simulator;
const get = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url}${path}`, { headers: auth, ...init });
const exec = (id: string) => get(`/api/v1/executions/${id}`);
const statuses = async (ids: string[]) => {
  const out: number[] = [];
  for (const id of ids) {
    const res = await exec(id);
    await res.arrayBuffer();
    out.push(res.status);
  }
  return out;
};
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

beforeAll(async () => {
  sim = await startSimulator(testSimulator);
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('execution route', () => {
  it('answers a stored record with JSON and a request id', async () => {
    const res = await exec('a');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(await res.json()).toEqual({ id: 'a', status: 'running' });
  });

  it('answers 401 and 404 with the error body carrying the x-request-id', async () => {
    const denied = await get('/api/v1/executions/a', { headers: {} });
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({
      error: 'bad token',
      status: 401,
      requestId: denied.headers.get('x-request-id'),
    });
    const missing = await exec('zzz');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      status: 404,
      error: "Execution 'zzz' was not found",
    });
  });

  it('treats a raw slash as no route and decodes %2F into the id', async () => {
    sim.records.set('x/y', { id: 'x/y' });
    expect((await exec('x/y')).status).toBe(404);
    const res = await exec('x%2Fy');
    expect(await res.json()).toEqual({ id: 'x/y' });
    expect(sim.requests.map((r) => r.id)).toEqual([null, 'x/y']);
  });

  it('excludes the query string from the id and keeps it in the url', async () => {
    expect((await get('/api/v1/executions/a?expand=1')).status).toBe(200);
    expect(sim.requests[0]).toMatchObject({ id: 'a', url: '/api/v1/executions/a?expand=1' });
  });

  it('answers 400 for an id that does not decode', async () => {
    expect((await exec('%E0%A4%A')).status).toBe(400);
  });

  it('answers 404 for unknown routes', async () => {
    expect((await get('/nope')).status).toBe(404);
  });

  it('answers 500 when the handler throws and keeps serving', async () => {
    sim.records.set('boom', { n: 1n });
    const res = await exec('boom');
    expect(res.status).toBe(500);
    expect(await res.json()).toMatchObject({ status: 500 });
    expect((await exec('a')).status).toBe(200);
  });
});

describe('fault queue', () => {
  it('applies a fault the given number of times, then answers normally', async () => {
    sim.inject({ kind: 'status', status: 503 }, { times: 2 });
    expect(await statuses(['a', 'a', 'a'])).toEqual([503, 503, 200]);
  });

  it('applies an id-filtered fault only to that id', async () => {
    sim.inject({ kind: 'status', status: 429, retryAfterSeconds: 7 }, { id: 'b' });
    expect((await exec('a')).status).toBe(200);
    const res = await exec('b');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect((await exec('b')).status).toBe(200);
  });

  it('keeps an Infinity fault until clearFaults', async () => {
    sim.inject({ kind: 'status', status: 500 }, { times: Infinity });
    expect(await statuses(['a', 'b', 'a'])).toEqual([500, 500, 500]);
    sim.clearFaults();
    expect((await exec('a')).status).toBe(200);
  });

  it('sends malformed JSON, a wrong shape and an HTML page', async () => {
    sim.inject({ kind: 'malformed' });
    sim.inject({ kind: 'wrongShape' });
    sim.inject({ kind: 'html' });
    const malformed = await exec('a');
    expect(malformed.headers.get('content-type')).toBe('application/json');
    await expect(malformed.json()).rejects.toThrow();
    expect(await (await exec('a')).json()).toEqual({ unexpected: true });
    const html = await exec('a');
    expect([html.status, html.headers.get('content-type')]).toEqual([502, 'text/html']);
    expect(await html.text()).toContain('502 Bad Gateway');
  });

  it('truncates a body below its Content-Length', async () => {
    sim.inject({ kind: 'truncated' });
    const res = await exec('a');
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('content-length'))).toBeGreaterThan(0);
    await expect(res.text()).rejects.toThrow();
    await until(() => sim.inFlight === 0);
    expect(sim.requests[0]!.aborted).toBe(false);
  });

  it('pads an oversized body that is still valid JSON', async () => {
    sim.inject({ kind: 'oversized', bytes: 300_000 });
    const text = await (await exec('a')).text();
    expect(text.length).toBe(300_000);
    expect(JSON.parse(text)).toMatchObject({ id: 'a', status: 'running' });
  });

  it('marks a hanging request aborted when the client gives up', async () => {
    sim.inject({ kind: 'hang' });
    const controller = new AbortController();
    const pending = get('/api/v1/executions/a', { signal: controller.signal });
    await until(() => sim.inFlight === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await until(() => sim.inFlight === 0);
    expect(sim.requests[0]).toMatchObject({ id: 'a', aborted: true });
    expect(sim.requests[0]!.endedAt).toBeGreaterThan(sim.requests[0]!.startedAt);
  });
});

describe('latency and concurrency', () => {
  it('waits latencyMs before answering and reset restores it', async () => {
    sim.latencyMs = 80;
    const start = performance.now();
    expect((await exec('a')).status).toBe(200);
    expect(performance.now() - start).toBeGreaterThanOrEqual(75);
    sim.reset();
    expect(sim.latencyMs).toBe(0);
  });

  it('logs concurrent requests and their peak', async () => {
    sim.latencyMs = 50;
    const ids = ['a', 'b', 'a', 'b', 'a'];
    const results = await Promise.all(ids.map((id) => exec(id)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(sim.maxInFlight).toBe(5);
    expect(sim.inFlight).toBe(0);
    expect(sim.requests.map((r) => r.id).sort()).toEqual(['a', 'a', 'a', 'b', 'b']);
    expect(sim.requests.every((r) => r.endedAt !== undefined && !r.aborted)).toBe(true);
  });

  it('resets records to the seeded ones', async () => {
    sim.records.delete('a');
    sim.records.set('c', {});
    sim.reset();
    expect([...sim.records.keys()]).toEqual(['a', 'b']);
    expect(sim.seeded).toEqual([
      { id: 'a', status: 'running' },
      { id: 'b', status: 'failed' },
    ]);
  });
});

describe('options and close', () => {
  it('serves every route under basePath', async () => {
    const gw = await startSimulator(testSimulator, { basePath: '/gw' });
    try {
      expect(gw.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gw$/);
      const ok = await fetch(`${gw.url}/api/v1/executions/b`, { headers: auth });
      expect(await ok.json()).toEqual({ id: 'b', status: 'failed' });
      const bare = gw.url.replace(/\/gw$/, '');
      expect((await fetch(`${bare}/api/v1/executions/b`, { headers: auth })).status).toBe(404);
    } finally {
      await gw.close();
    }
  });

  it('reuses one keep-alive connection for sequential requests', async () => {
    const fresh = await startSimulator(testSimulator);
    const client = new Client(fresh.url);
    try {
      for (const id of ['a', 'b', 'a']) {
        const res = await client.request({
          method: 'GET',
          path: `/api/v1/executions/${id}`,
          headers: auth,
        });
        expect(await res.body.json()).toMatchObject({ id });
      }
      expect([fresh.requests.length, fresh.connections]).toEqual([3, 1]);
    } finally {
      await client.close();
      await fresh.close();
    }
  });

  it('ends hanging requests on close', async () => {
    const other = await startSimulator(testSimulator, { latencyMs: 10 });
    other.inject({ kind: 'hang' }, { times: Infinity });
    const outcome = fetch(`${other.url}/api/v1/executions/a`, { headers: auth }).catch(
      (error: unknown) => error,
    );
    await until(() => other.inFlight === 1);
    await other.close();
    expect(await outcome).toBeInstanceOf(TypeError);
    expect(other.inFlight).toBe(0);
    expect(other.requests[0]!.aborted).toBe(false);
  });
});

describe('the clock of live executions', () => {
  const clocked: SimulatorDefinition = {
    ...testSimulator,
    lifecycle: ['queued', 'running', 'done'],
    seed: () => [{ id: 'l', status: 'queued', live: true, record: { id: 'l', status: 'queued' } }],
  };
  const statusOn = async (on: Simulator) => {
    const res = await fetch(`${on.url}/api/v1/executions/l`, { headers: auth });
    return ((await res.json()) as { status: string }).status;
  };
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  it('steps from start-up by default', async () => {
    const on = await startSimulator(clocked, { stepMs: 20 });
    try {
      await sleep(200);
      expect(await statusOn(on)).toBe('done');
    } finally {
      await on.close();
    }
  });

  it('with liveFromFirstRead, steps only once read, and again from the start after a reset', async () => {
    const on = await startSimulator(clocked, { stepMs: 20, liveFromFirstRead: true });
    try {
      await sleep(200);
      expect(await statusOn(on)).toBe('queued');
      await expect.poll(() => statusOn(on), { timeout: 2000 }).toBe('done');
      on.reset();
      await sleep(200);
      expect(on.requests.length).toBe(0);
      expect(await statusOn(on)).toBe('queued');
    } finally {
      await on.close();
    }
  });
});

describe('list routes and history', () => {
  let arrived = 0;
  const listing: SimulatorDefinition = {
    ...testSimulator,
    history: () => [{ id: 'h', status: 'done', record: { id: 'h', status: 'done' } }],
    attach: (context) => ({
      ...testSimulator.attach(context),
      routes: [
        {
          method: 'GET',
          path: '/api/v1/list',
          lists: true,
          received: () => void (arrived += 1),
          handle: ({ query }) =>
            query.get('n') === 'bad'
              ? { error: { status: 400, message: 'bad n' } }
              : { status: 200, body: { ids: [...context.records.keys()], n: query.get('n') } },
        },
      ],
    }),
  };

  it('stores the history after the seeded records, outside seeded, again after reset', async () => {
    const on = await startSimulator(listing);
    try {
      expect(on.history).toEqual([{ id: 'h', status: 'done' }]);
      expect(on.seeded.map(({ id }) => id)).toEqual(['a', 'b']);
      on.records.delete('h');
      on.reset();
      expect([...on.records.keys()]).toEqual(['a', 'b', 'h']);
    } finally {
      await on.close();
    }
  });

  it('passes the query, answers refusals in the error body, counts on arrival', async () => {
    const on = await startSimulator(listing, { latencyMs: 150 });
    arrived = 0;
    try {
      const pending = fetch(`${on.url}/api/v1/list?n=1%202`, { headers: auth });
      await until(() => arrived === 1);
      expect(on.inFlight).toBe(1);
      expect(await (await pending).json()).toEqual({ ids: ['a', 'b', 'h'], n: '1 2' });
      const bad = await fetch(`${on.url}/api/v1/list?n=bad`, { headers: auth });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        error: 'bad n',
        status: 400,
        requestId: bad.headers.get('x-request-id'),
      });
      on.inject({ kind: 'oversized', bytes: 5_000 }, { on: 'list' });
      const padded = await fetch(`${on.url}/api/v1/list`, { headers: auth });
      expect(JSON.parse(await padded.text())).toMatchObject({ ids: ['a', 'b', 'h'] });
      expect(on.requests.map((request) => request.id)).toEqual([null, null, null]);
    } finally {
      await on.close();
    }
  });
});

describe('routes with their own fault target, and progress', () => {
  const advanced: Array<[string, string]> = [];
  const targeted: SimulatorDefinition = {
    ...testSimulator,
    lifecycle: ['queued', 'running', 'done'],
    attach: (context) => ({
      ...testSimulator.attach(context),
      advanced: (id, status) => void advanced.push([id, status]),
      routes: [
        {
          method: 'GET',
          path: '/api/v1/steps',
          on: 'steps',
          subject: ({ query }) => query.get('of'),
          handle: ({ query }) => ({ status: 200, body: { of: query.get('of') } }),
        },
        {
          method: 'GET',
          path: '/api/v1/executions/{id}/steps',
          acts: true,
          on: 'steps',
          handle: ({ id }) => ({ status: 200, body: { steps: id } }),
        },
        {
          method: 'POST',
          path: '/api/v1/start',
          on: 'start',
          handle: () => {
            context.records.set('new', { id: 'new', status: 'queued' });
            context.progress('new');
            return { status: 200, body: { id: 'new' } };
          },
        },
      ],
    }),
  };

  it('answers faults on its target first, by the subject it names, then the auth', async () => {
    const on = await startSimulator(targeted);
    try {
      const steps = (query: string, headers: Record<string, string> = auth) =>
        fetch(`${on.url}/api/v1/steps?${query}`, { headers });
      on.inject({ kind: 'status', status: 503 }, { on: 'steps', id: 'b' });
      expect((await steps('of=a')).status).toBe(200);
      expect((await steps('of=b', {})).status).toBe(503);
      expect((await steps('of=b', {})).status).toBe(401);
      // A route that acts: faults by its {id}, then the 404 of an unknown one.
      on.inject({ kind: 'wrongShape' }, { on: 'steps', id: 'a' });
      const execSteps = (id: string) =>
        fetch(`${on.url}/api/v1/executions/${id}/steps`, { headers: auth });
      expect(await (await execSteps('b')).json()).toEqual({ steps: 'b' });
      expect(await (await execSteps('a')).json()).toEqual({ unexpected: true });
      expect((await execSteps('zzz')).status).toBe(404);
      expect(on.requests.map((r) => [r.route, r.action])).toEqual([
        ['GET /api/v1/steps', null],
        ['GET /api/v1/steps', null],
        ['GET /api/v1/steps', null],
        ['GET /api/v1/executions/{id}/steps', null],
        ['GET /api/v1/executions/{id}/steps', null],
        ['GET /api/v1/executions/{id}/steps', null],
      ]);
    } finally {
      await on.close();
    }
  });

  it('moves what a route starts one status every stopDelayMs without a clock, telling advanced', async () => {
    const on = await startSimulator(targeted, { stopDelayMs: 20 });
    advanced.length = 0;
    try {
      const res = await fetch(`${on.url}/api/v1/start`, { method: 'POST', headers: auth });
      expect(await res.json()).toEqual({ id: 'new' });
      expect(on.live.has('new')).toBe(false);
      await until(() => advanced.length === 2);
      expect(advanced).toEqual([
        ['new', 'running'],
        ['new', 'done'],
      ]);
      expect(on.records.get('new')).toEqual({ id: 'new', status: 'done' });
    } finally {
      await on.close();
    }
  });

  it('moves it with the live ones on stepMs, and reset() stops it', async () => {
    const on = await startSimulator(targeted, { stepMs: 20 });
    try {
      await fetch(`${on.url}/api/v1/start`, { method: 'POST', headers: auth });
      expect(on.live.has('new')).toBe(true);
      await until(() => (on.records.get('new') as { status: string }).status === 'done');
      on.reset();
      expect(on.live.has('new')).toBe(false);
      expect(on.records.has('new')).toBe(false);
    } finally {
      await on.close();
    }
  });
});
