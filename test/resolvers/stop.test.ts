import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimRequest } from '../../src/simulators/index.js';
import { minimalRecord, startHarness, type Harness } from '../harness.js';

const STOP_DELAY_MS = 150;

interface Case {
  running: string;
  terminal: string;
  method: string;
  /** The stop call's path for `running`, under the simulator's base URL. */
  path: (id: string) => string;
  /** Headers the stop call must carry, by name: the provider's auth. */
  auth: (h: Harness) => Record<string, string>;
  /** Default false: `force`, for the provider whose ordinary stop waits for its current step. */
  force?: boolean;
}

/** The stoppable providers, with a running and a finished seeded execution each. */
const CASES: Record<string, Case> = {
  cloudshell: {
    running: '7A3C1E52-9F4B-4D8E-A1C6-3B5E2F7D9A04',
    terminal: 'E2A6C8F4-1B5D-4A9E-8C3F-7D6B4A2E9C15',
    method: 'DELETE',
    path: (id) => `/api/v2/executions/${id}`,
    auth: () => ({ authorization: expect.stringMatching(/^Basic cs-token-/) }),
  },
  durable: {
    running: 'wf_child_1b',
    terminal: 'wf_report_9',
    method: 'POST',
    path: (id) => `/api/v1/executions/${id}/cancel`,
    auth: (h) => ({ authorization: `Bearer ${h.sims.durable!.credentials.token}` }),
  },
  refold: {
    running: '674d2a10c1f3b2a9e0a10003',
    terminal: '674d2a10c1f3b2a9e0a10005',
    method: 'POST',
    path: (id) => `/api/v2/public/execution/${id}/stop`,
    auth: (h) => ({
      'x-api-key': h.sims.refold!.credentials.apiKey!,
      linked_account_id: 'demo-customer',
    }),
  },
  serverless: {
    running: 'dfq1b2c3d4e5f6g7h8i9',
    terminal: 'dfq5f6g7h8i9j0k1l2m3',
    method: 'POST',
    path: (id) => `/workflows/v1/execution/${id}/terminate`,
    auth: (h) => ({ authorization: `Bearer ${h.sims.serverless!.credentials.token}` }),
    force: true,
  },
};

const FIELDS = 'id state providerStatus canStop isTerminal';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(
    { MUTATIONS: 'true', DURABLE_WORKFLOW_TIMEOUT_MS: '400' },
    { stopDelayMs: STOP_DELAY_MS },
  );
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** The calls that acted on an execution (stops), of every simulator. */
function stopCalls(): Array<SimRequest & { key: string }> {
  return Object.entries(h.sims).flatMap(([key, sim]) =>
    sim.requests.filter((request) => request.action !== null).map((r) => ({ ...r, key })),
  );
}

async function stop(id: string, force = false) {
  const { status, body } = await h.query<{ stopExecution: Record<string, unknown> | null }>(
    `mutation ($id: ID!, $force: Boolean) { stopExecution(id: $id, force: $force) { ${FIELDS} } }`,
    { id, force },
  );
  expect(status).toBe(200);
  return body;
}

async function state(id: string): Promise<unknown> {
  const { body } = await h.query<{ execution: { state: string } }>(
    'query ($id: ID!) { execution(id: $id) { state } }',
    { id },
  );
  return body.data?.execution.state;
}

describe.each(Object.entries(CASES))('stopping a %s execution', (key, c) => {
  it('says canStop for a running execution and not for a finished one', async () => {
    const { body } = await h.query<{ executions: Array<{ canStop: boolean }> }>(
      'query ($ids: [ID!]!) { executions(ids: $ids) { canStop } }',
      { ids: [`${key}:${c.running}`, `${key}:${c.terminal}`] },
    );
    expect(body.data?.executions).toEqual([{ canStop: true }, { canStop: false }]);
  });

  it('makes one stop call with the provider method, path and auth, then answers it fetched again', async () => {
    const body = await stop(`${key}:${c.running}`, c.force);
    expect(body.errors).toBeUndefined();
    expect(body.data?.stopExecution).toMatchObject({
      id: `${key}:${c.running}`,
      state: expect.stringMatching(/^(STOPPING|CANCELLED)$/),
    });
    const calls = stopCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ key, method: c.method, url: c.path(c.running) });
    expect(calls[0]!.headers).toMatchObject(c.auth(h));
    // The answer is the execution as the provider reports it after the stop: fetched twice.
    expect(h.sims[key]!.requests.filter((r) => r.id === c.running)).toHaveLength(2);
    await expect.poll(() => state(`${key}:${c.running}`), { timeout: 3000 }).toBe('CANCELLED');
  });

  it('answers a finished execution as it is, with no stop call', async () => {
    const body = await stop(`${key}:${c.terminal}`);
    expect(body.errors).toBeUndefined();
    expect(body.data?.stopExecution).toMatchObject({ isTerminal: true, canStop: false });
    expect(stopCalls()).toHaveLength(0);
  });
});

describe('stops that cannot be made', () => {
  it('is STOP_NOT_SUPPORTED for the payment platform, with no call', async () => {
    const body = await stop(`payment:${h.sims.payment!.seeded[0]!.id}`);
    expect(body.data?.stopExecution).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      path: ['stopExecution'],
      extensions: { code: 'STOP_NOT_SUPPORTED', provider: 'PAYMENT_WORKFLOW' },
    });
    expect(stopCalls()).toHaveLength(0);
  });

  it('is STOP_NOT_SUPPORTED for a running CloudShell execution without a stop link, with no call', async () => {
    const id = 'cloudshell:3E7A9C1B-5D2F-4C8A-B9E6-1F4D7A3C5E82';
    const { body } = await h.query('query ($id: ID!) { execution(id: $id) { state canStop } }', {
      id,
    });
    expect(body.data?.execution).toEqual({ state: 'RUNNING', canStop: false });
    const stopped = await stop(id);
    expect(stopped.errors?.[0]).toMatchObject({
      extensions: { code: 'STOP_NOT_SUPPORTED', provider: 'CLOUDSHELL' },
    });
    expect(stopCalls()).toHaveLength(0);
  });

  it('is STOP_REJECTED when the engine refuses (a pending execution it cannot cancel)', async () => {
    const body = await stop('durable:wf_queued_3');
    expect(body.data?.stopExecution).toBeNull();
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'STOP_REJECTED', provider: 'DURABLE_WORKFLOW', status: 400 },
    });
    expect(stopCalls()).toHaveLength(1);
  });

  it('cancels the durable engine tree: parents and children stop too', async () => {
    h.sims.durable!.stopDelayMs = 10_000;
    await stop('durable:wf_child_1b');
    const { body } = await h.query<{ executions: Array<{ state: string }> }>(
      'query ($ids: [ID!]!) { executions(ids: $ids) { id state } }',
      { ids: ['durable:wf_root_1', 'durable:wf_child_1b', 'durable:wf_child_1a'] },
    );
    expect(body.data?.executions).toEqual([
      { id: 'durable:wf_root_1', state: 'STOPPING' },
      { id: 'durable:wf_child_1b', state: 'STOPPING' },
      // Already finished: nothing to cancel.
      { id: 'durable:wf_child_1a', state: 'SUCCEEDED' },
    ]);
  });

  it('lets a Yandex stop finish the current step: running at first, cancelled later', async () => {
    const id = `serverless:${CASES.serverless!.running}`;
    const body = await stop(id);
    expect(body.data?.stopExecution).toMatchObject({ state: 'RUNNING' });
    expect(stopCalls()[0]).toMatchObject({
      url: `/workflows/v1/execution/${CASES.serverless!.running}/stop`,
    });
    await expect.poll(() => state(id), { timeout: 3000 }).toBe('CANCELLED');
  });
});

describe('stopExecutions', () => {
  it('stops each distinct id once, concurrently per provider, in order, one error per failed item', async () => {
    const running = (key: string, status: string, count: number) =>
      Array.from({ length: count }, (_, i) => {
        const id = `bulk-${key}-${i}`;
        h.sims[key]!.records.set(id, minimalRecord(key, id, status));
        return `${key}:${id}`;
      });
    const durable = running('durable', 'running', 6);
    const refold = running('refold', 'RUNNING', 4);
    const serverless = running('serverless', 'RUNNING', 4);
    h.sims.durable!.latencyMs = 80;
    h.sims.refold!.inject({ kind: 'status', status: 500 }, { id: 'bulk-refold-2', on: 'stop' });
    const ids = [
      ...durable,
      durable[0]!,
      refold[0]!,
      ...refold,
      ...serverless,
      `payment:${h.sims.payment!.seeded[0]!.id}`,
      durable[1]!,
      'durable:wf_report_9',
      `cloudshell:${CASES.cloudshell!.running}`,
    ];
    expect(ids).toHaveLength(20);
    const { body } = await h.query<{ stopExecutions: Array<{ id: string } | null> }>(
      'mutation ($ids: [ID!]!) { stopExecutions(ids: $ids) { id } }',
      { ids },
    );
    const failed = ['refold:bulk-refold-2', `payment:${h.sims.payment!.seeded[0]!.id}`];
    expect(body.data?.stopExecutions.map((item) => item?.id ?? null)).toEqual(
      ids.map((id) => (failed.includes(id) ? null : id)),
    );
    expect(body.errors?.map((error) => [error.path, error.extensions?.code])).toEqual(
      expect.arrayContaining([
        [['stopExecutions', ids.indexOf('refold:bulk-refold-2')], 'UPSTREAM_ERROR'],
        [['stopExecutions', ids.indexOf(failed[1]!)], 'STOP_NOT_SUPPORTED'],
      ]),
    );
    expect(body.errors).toHaveLength(2);
    const calls = stopCalls();
    // One per distinct stoppable id: 6 + 4 + 4 + 1; none for the payment and finished ones.
    expect(calls.map(({ key, url }) => `${key} ${url}`).sort()).toEqual(
      [...durable, ...refold, ...serverless, `cloudshell:${CASES.cloudshell!.running}`]
        .map((id) => {
          const [key, native] = id.split(':') as [string, string];
          return `${key} ${CASES[key]!.path(native).replace(/terminate$/, 'stop')}`;
        })
        .sort(),
    );
    const durableCalls = calls.filter(({ key }) => key === 'durable');
    const lastStart = Math.max(...durableCalls.map((call) => call.startedAt));
    const firstEnd = Math.min(...durableCalls.map((call) => call.endedAt ?? Infinity));
    expect(lastStart).toBeLessThan(firstEnd);
  });
});

describe('stop calls under faults', () => {
  it('is UPSTREAM_TIMEOUT after one call when the stop hangs, not retried', async () => {
    h.sims.durable!.inject({ kind: 'hang' }, { on: 'stop' });
    const body = await stop('durable:wf_root_1');
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'UPSTREAM_TIMEOUT' } });
    expect(stopCalls()).toHaveLength(1);
  });

  it('is sent again after a 503, when the provider did not act', async () => {
    h.sims.durable!.stopDelayMs = 10_000;
    h.sims.durable!.inject({ kind: 'status', status: 503 }, { on: 'stop' });
    const body = await stop('durable:wf_root_1');
    expect(body.errors).toBeUndefined();
    expect(body.data?.stopExecution).toMatchObject({ state: 'STOPPING' });
    expect(stopCalls()).toHaveLength(2);
  });

  it('is reported after one call on a 500', async () => {
    h.sims.durable!.inject({ kind: 'status', status: 500 }, { on: 'stop' });
    const body = await stop('durable:wf_root_1');
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'UPSTREAM_ERROR', provider: 'DURABLE_WORKFLOW', status: 500 },
    });
    expect(stopCalls()).toHaveLength(1);
  });

  it('puts an id full of path characters into the cancel template as one encoded segment', async () => {
    const native = '../../admin?x=1';
    h.sims.durable!.records.set(native, minimalRecord('durable', native, 'running'));
    const body = await stop(`durable:${native}`);
    expect(body.errors).toBeUndefined();
    expect(stopCalls().map(({ url }) => url)).toEqual([
      `/api/v1/executions/${encodeURIComponent(native)}/cancel`,
    ]);
  });

  it('counts stops by provider and outcome in /metrics', async () => {
    await stop('durable:wf_root_1');
    await stop('durable:wf_report_9');
    const text = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(text).toMatch(
      /^execution_stops_total\{provider="DURABLE_WORKFLOW",outcome="stopped"\} [1-9]/m,
    );
    expect(text).toMatch(
      /^execution_stops_total\{provider="DURABLE_WORKFLOW",outcome="finished"\} [1-9]/m,
    );
  });
});

describe('the id limit', () => {
  it('counts stopExecutions ids against MAX_IDS_PER_REQUEST, before any upstream call', async () => {
    const small = await startHarness({ MUTATIONS: 'true', MAX_IDS_PER_REQUEST: '3' });
    try {
      const ids = ['durable:wf_root_1', 'durable:wf_child_1b', 'refold:x', 'serverless:y'];
      const { status, body } = await small.query(
        'mutation ($ids: [ID!]!) { stopExecutions(ids: $ids) { id } }',
        { ids },
      );
      expect(status).toBe(400);
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 3 } });
      expect(Object.values(small.sims).every((sim) => sim.requests.length === 0)).toBe(true);
    } finally {
      await small.close();
    }
  });
});
