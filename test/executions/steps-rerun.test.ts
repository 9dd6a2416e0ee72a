import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { buildSchema } from '../../src/graphql/schema.js';
import { startApp, type App } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import type { Simulator } from '../../src/simulators/index.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { startHarness, type GraphQLBody, type Harness } from '../harness.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const DEMO_HEADERS = await demoHeaders();

const STEPS = /* GraphQL */ `
  query Steps($ids: [ID!]!) {
    executions(ids: $ids) {
      id
      state
      steps {
        name
        state
        providerStatus
        startedAt
        endedAt
        durationSeconds
        attempts
        error {
          message
          code
        }
      }
    }
  }
`;

const RERUN = /* GraphQL */ `
  mutation Rerun($id: ID!, $key: String) {
    rerunExecution(id: $id, idempotencyKey: $key) {
      id
      state
      canRerun
    }
  }
`;

type Counted = Simulator & { stepsCalls: number; startCalls: number };

function sim(h: Harness, key: string): Counted {
  return h.sims[key] as Counted;
}

/** Execution GETs a simulator received for `nativeId`. */
function getsOf(h: Harness, key: string, nativeId: string): number {
  return sim(h, key).requests.filter((r) => r.method === 'GET' && r.id === nativeId).length;
}

/** The requests that started an execution, with their bodies as the simulator logged them. */
function starts(h: Harness, key: string) {
  return sim(h, key).requests.filter((r) => r.method === 'POST' && !r.url.includes('/cancel'));
}

describe('steps', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.reset());

  it("the durable engine's: from the events of the tree's root topic, a failed step without a finish failed with its execution", async () => {
    const { body } = await h.query(STEPS, { ids: ['durable:wf_billing_7', 'durable:wf_root_1'] });
    expect(body.errors).toBeUndefined();
    const [billing, root] = body.data!.executions;
    expect(billing.state).toBe('FAILED');
    expect(billing.steps).toEqual([
      {
        name: 'load-invoices',
        state: 'SUCCEEDED',
        providerStatus: 'finished',
        startedAt: '2026-11-20T11:00:00.350Z',
        endedAt: '2026-11-20T11:00:01.150Z',
        durationSeconds: 0.8,
        attempts: 1,
        error: null,
      },
      {
        name: 'post-ledger',
        state: 'FAILED',
        providerStatus: 'failed',
        startedAt: '2026-11-20T11:00:01.250Z',
        // It ended with its execution.
        endedAt: '2026-11-20T11:00:04.000Z',
        durationSeconds: 2.75,
        attempts: 3,
        error: { message: 'upstream ledger returned 503 after 3 retries', code: null },
      },
    ]);
    // Running: two steps done, two still running.
    expect(root.steps.map((s: { name: string; state: string }) => [s.name, s.state])).toEqual([
      ['validate-order', 'SUCCEEDED'],
      ['reserve-stock', 'SUCCEEDED'],
      ['charge-card', 'RUNNING'],
      ['send-invoice', 'RUNNING'],
    ]);
    // Each on its tree's root topic.
    const topics = sim(h, 'durable')
      .requests.filter((r) => r.url.startsWith('/api/v1/events?'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('topic'));
    expect(topics.sort()).toEqual(
      ['workflow/monthly-billing/wf_billing_7', 'workflow/order-fulfilment/wf_root_1'].sort(),
    );
  });

  it("a child's steps come from its root's topic, filtered to the child", async () => {
    const { body } = await h.query(STEPS, { ids: ['durable:wf_child_1a'] });
    expect(body.errors).toBeUndefined();
    const [child] = body.data!.executions;
    expect(child.steps.map((s: { name: string }) => s.name)).toEqual([
      'check-inventory',
      'hold-items',
    ]);
    expect(child.steps.every((s: { state: string }) => s.state === 'SUCCEEDED')).toBe(true);
    const topic = sim(h, 'durable')
      .requests.filter((r) => r.url.startsWith('/api/v1/events?'))
      .map((r) => new URL(r.url, 'http://x').searchParams.get('topic'));
    expect(topic).toEqual(['workflow/order-fulfilment/wf_root_1']);
  });

  it("Yandex's: the history's entries, field by field", async () => {
    const { body } = await h.query(STEPS, { ids: ['serverless:dfq4e5f6g7h8i9j0k1l2'] });
    expect(body.errors).toBeUndefined();
    const [failed] = body.data!.executions;
    expect(failed.state).toBe('FAILED');
    const steps = failed.steps as Array<Record<string, unknown>>;
    expect(steps.slice(0, 2)).toEqual([
      {
        name: 'Validate order',
        state: 'SUCCEEDED',
        providerStatus: 'COMPLETED',
        startedAt: '2026-11-20T10:03:00.500Z',
        endedAt: '2026-11-20T10:03:00.600Z',
        durationSeconds: 0.1,
        attempts: null,
        error: null,
      },
      {
        name: 'Reserve stock',
        state: 'SUCCEEDED',
        providerStatus: 'COMPLETED',
        startedAt: '2026-11-20T10:03:00.600Z',
        endedAt: '2026-11-20T10:03:00.750Z',
        durationSeconds: 0.15,
        attempts: null,
        error: null,
      },
    ]);
    const last = steps.at(-1)!;
    expect(last).toMatchObject({
      name: 'Charge card',
      state: 'FAILED',
      providerStatus: 'FAILED',
      startedAt: '2026-11-20T10:03:00.750Z',
      error: { message: expect.any(String), code: expect.any(String) },
    });
    expect(sim(h, 'serverless').stepsCalls).toBe(1);
  });

  it("Refold's: the nodes its answer holds, with no call beyond the execution; null where it holds none", async () => {
    const failed = 'refold:65410cf6cdf931a12d7ab009';
    const plain = `refold:${
      h.sims.refold!.seeded.find(
        ({ id }) => !(h.sims.refold!.records.get(id) as { nodes?: unknown }).nodes,
      )!.id
    }`;
    const { body } = await h.query(STEPS, { ids: [failed, plain] });
    expect(body.errors).toBeUndefined();
    const [withNodes, without] = body.data!.executions;
    expect(withNodes.state).toBe('FAILED');
    const none = { startedAt: null, endedAt: null };
    expect(withNodes.steps).toEqual([
      {
        name: 'Event trigger',
        state: 'SUCCEEDED',
        providerStatus: 'COMPLETED',
        ...none,
        durationSeconds: 0.011,
        attempts: 1,
        error: null,
      },
      {
        name: 'Format message',
        state: 'SUCCEEDED',
        providerStatus: 'COMPLETED',
        ...none,
        durationSeconds: 0.028,
        attempts: 1,
        error: null,
      },
      {
        name: 'Post message',
        state: 'FAILED',
        providerStatus: 'ERRORED',
        ...none,
        durationSeconds: 1.905,
        attempts: 3,
        error: {
          message: 'channel_not_found: #deals-won does not exist or the app is not in it',
          code: null,
        },
      },
      {
        name: 'Log result',
        state: 'CANCELLED',
        providerStatus: 'SKIPPED',
        ...none,
        durationSeconds: null,
        attempts: 0,
        error: null,
      },
    ]);
    expect(without.steps).toBeNull();
    // The two GETs, nothing else.
    expect(h.sims.refold!.requests.map((r) => r.method)).toEqual(['GET', 'GET']);
  });

  it('is null for CloudShell and payment, with no call beyond the execution', async () => {
    const ids = [h.sims.cloudshell!.seeded[0]!.id, h.sims.payment!.seeded[0]!.id];
    const { body } = await h.query(STEPS, {
      ids: [`cloudshell:${ids[0]}`, `payment:${ids[1]}`],
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.executions.map((e: { steps: unknown }) => e.steps)).toEqual([null, null]);
    // The execution's GET only (CloudShell logs in first).
    const calls = (key: string) =>
      h.sims[key]!.requests.filter((r) => !r.url.includes('/login')).map((r) => r.id);
    expect(calls('cloudshell')).toEqual([ids[0]]);
    expect(calls('payment')).toEqual([ids[1]]);
  });

  it('20 executions with steps make one steps call per distinct execution, concurrently', async () => {
    const serverless = sim(h, 'serverless');
    const ids = [...serverless.records.keys()].slice(0, 10).map((id) => `serverless:${id}`);
    const durable = [...sim(h, 'durable').records.keys()]
      .slice(20, 30)
      .map((id) => `durable:${id}`);
    // Long enough that calls sent together overlap on a busy machine.
    serverless.latencyMs = 300;
    const { body } = await h.query(STEPS, { ids: [...ids, ...durable, ...ids.slice(0, 3)] });
    serverless.latencyMs = 0;
    expect(body.errors).toBeUndefined();
    expect(body.data!.executions).toHaveLength(23);
    expect(serverless.stepsCalls).toBe(10);
    expect(sim(h, 'durable').stepsCalls).toBe(10);
    const history = serverless.requests.filter((r) => r.url.endsWith('/history'));
    const lastStart = Math.max(...history.map((r) => r.startedAt));
    const firstEnd = Math.min(...history.map((r) => r.endedAt ?? Infinity));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it('a failing steps call is an error at that steps path only', async () => {
    sim(h, 'serverless').inject({ kind: 'status', status: 500 }, { on: 'steps', times: 1 });
    const { body } = await h.query(STEPS, {
      ids: ['serverless:dfq4e5f6g7h8i9j0k1l2', 'durable:wf_billing_7'],
    });
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['executions', 0, 'steps'],
        extensions: expect.objectContaining({ code: 'UPSTREAM_ERROR' }),
      }),
    ]);
    expect(body.data!.executions[0]).toMatchObject({
      id: 'serverless:dfq4e5f6g7h8i9j0k1l2',
      state: 'FAILED',
      steps: null,
    });
    expect(body.data!.executions[1].steps).toHaveLength(2);
  });

  it('keeps the steps of a finished execution with it: asked again, no call', async () => {
    await h.query(STEPS, { ids: ['serverless:dfq4e5f6g7h8i9j0k1l2'] });
    expect(sim(h, 'serverless').stepsCalls).toBe(1);
    const { body } = await h.query(STEPS, { ids: ['serverless:dfq4e5f6g7h8i9j0k1l2'] });
    expect(body.data!.executions[0].steps.length).toBeGreaterThan(2);
    expect(sim(h, 'serverless').stepsCalls).toBe(1);
    expect(getsOf(h, 'serverless', 'dfq4e5f6g7h8i9j0k1l2')).toBe(1);
  });
});

describe('rerunExecution', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(
      { MUTATIONS: 'true', SERVERLESS_WORKFLOW_TIMEOUT_MS: '500' },
      // A new execution moves one status a second from its own start (not on a shared tick, which
      // could move it between the start and the read that answers the mutation).
      { stopDelayMs: 1000 },
    );
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.reset());

  async function rerun(id: string, key?: string): Promise<GraphQLBody> {
    return (await h.query(RERUN, { id, key })).body;
  }

  it("Yandex: one start with the original's workflow and input; the answer is the new execution, fetched", async () => {
    const original = (
      sim(h, 'serverless').records.get('dfq4e5f6g7h8i9j0k1l2') as {
        execution: { workflowId: string; input: { inputJson: string } };
      }
    ).execution;
    const body = await rerun('serverless:dfq4e5f6g7h8i9j0k1l2');
    expect(body.errors).toBeUndefined();
    const made = body.data!.rerunExecution as { id: string; state: string; canRerun: boolean };
    expect(made.id).toMatch(/^serverless:/);
    expect(made.id).not.toBe('serverless:dfq4e5f6g7h8i9j0k1l2');
    expect(made).toMatchObject({ state: 'PENDING', canRerun: false });
    expect(sim(h, 'serverless').startCalls).toBe(1);
    const [start] = starts(h, 'serverless');
    expect(start!.url).toBe('/workflows/v1/execution/start');
    expect(getsOf(h, 'serverless', made.id.slice('serverless:'.length))).toBe(1);
    const stored = (
      sim(h, 'serverless').records.get(made.id.slice('serverless:'.length)) as {
        execution: { workflowId: string; input: { inputJson: string } };
      }
    ).execution;
    expect(stored.workflowId).toBe(original.workflowId);
    expect(stored.input.inputJson).toBe(original.input.inputJson);
  });

  it("the durable engine: one run of the original's workflow with its payload", async () => {
    const original = sim(h, 'durable').records.get('wf_billing_7') as {
      workflow_id: string;
      payload: unknown;
    };
    const body = await rerun('durable:wf_billing_7');
    expect(body.errors).toBeUndefined();
    const made = (body.data!.rerunExecution as { id: string }).id.slice('durable:'.length);
    expect(sim(h, 'durable').startCalls).toBe(1);
    expect(starts(h, 'durable').map((r) => r.url)).toEqual([
      `/api/v1/workflows/${encodeURIComponent(original.workflow_id)}/run`,
    ]);
    const stored = sim(h, 'durable').records.get(made) as { workflow_id: string; payload: unknown };
    expect(stored.workflow_id).toBe(original.workflow_id);
    expect(stored.payload).toEqual(original.payload);
    expect(getsOf(h, 'durable', made)).toBe(1);
  });

  it('Refold: one rerun call of the original, for the same customer; the new execution fetched', async () => {
    const body = await rerun('refold:65410cf6cdf931a12d7ab009');
    expect(body.errors).toBeUndefined();
    const made = (body.data!.rerunExecution as { id: string }).id;
    expect(made).toMatch(/^refold:/);
    expect(made).not.toBe('refold:65410cf6cdf931a12d7ab009');
    expect(sim(h, 'refold').startCalls).toBe(1);
    const [start] = starts(h, 'refold');
    expect(start!.url).toBe('/api/v2/public/execution/65410cf6cdf931a12d7ab009/rerun');
    expect(start!.headers['linked_account_id']).toBe(DEMO_HEADERS['x-refold-linked-account-id']);
    expect(getsOf(h, 'refold', made.slice('refold:'.length))).toBe(1);
  });

  it('a running execution, and a CloudShell one, are RERUN_NOT_SUPPORTED with no call', async () => {
    const running = await rerun('durable:wf_root_1');
    expect(running.errors![0]!.extensions).toMatchObject({ code: 'RERUN_NOT_SUPPORTED' });
    const cloudshell = h.sims.cloudshell!.seeded.find(({ status }) => /completed/i.test(status))!;
    const shell = await rerun(`cloudshell:${cloudshell.id}`);
    expect(shell.errors![0]!.extensions).toMatchObject({ code: 'RERUN_NOT_SUPPORTED' });
    expect(sim(h, 'durable').startCalls).toBe(0);
    expect(h.sims.cloudshell!.requests.filter((r) => r.action !== null)).toEqual([]);
  });

  it('a start that times out is reported, not tried again', async () => {
    sim(h, 'serverless').inject({ kind: 'hang' }, { on: 'start', times: 1 });
    const body = await rerun('serverless:dfq4e5f6g7h8i9j0k1l2', 'timed-out');
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_TIMEOUT' });
    expect(sim(h, 'serverless').startCalls).toBe(1);
    // It may have started one: the key is spent, and asking again starts nothing.
    const again = await rerun('serverless:dfq4e5f6g7h8i9j0k1l2', 'timed-out');
    expect(again.errors![0]!.extensions).toMatchObject({ code: 'RERUN_NOT_SUPPORTED' });
    expect(again.errors![0]!.message).toMatch(/may have started/);
    expect(sim(h, 'serverless').startCalls).toBe(1);
  });

  it('a 503 on start, where the provider did not act, is tried again', async () => {
    sim(h, 'serverless').inject({ kind: 'status', status: 503 }, { on: 'start', times: 1 });
    const body = await rerun('serverless:dfq4e5f6g7h8i9j0k1l2');
    expect(body.errors).toBeUndefined();
    expect(sim(h, 'serverless').startCalls).toBe(2);
  });

  it('the same idempotency key, one after the other and 10 at once, makes one start and answers one id', async () => {
    const first = await rerun('durable:wf_billing_7', 'key-1');
    const again = await rerun('durable:wf_billing_7', 'key-1');
    const id = (first.data!.rerunExecution as { id: string }).id;
    expect((again.data!.rerunExecution as { id: string }).id).toBe(id);
    expect(sim(h, 'durable').startCalls).toBe(1);

    sim(h, 'durable').latencyMs = 50;
    const many = await Promise.all(
      Array.from({ length: 10 }, () => rerun('durable:wf_billing_7', 'key-2')),
    );
    sim(h, 'durable').latencyMs = 0;
    const ids = new Set(many.map((b) => (b.data!.rerunExecution as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(ids.has(id)).toBe(false);
    expect(sim(h, 'durable').startCalls).toBe(2);
    // Without a key, every mutation starts one.
    await rerun('durable:wf_billing_7');
    await rerun('durable:wf_billing_7');
    expect(sim(h, 'durable').startCalls).toBe(4);
  });

  it('a new execution runs on: its state changes after the rerun', async () => {
    const body = await rerun('serverless:dfq4e5f6g7h8i9j0k1l2');
    const id = (body.data!.rerunExecution as { id: string }).id;
    await expect
      .poll(
        async () =>
          (
            (await h.query(`query ($id: ID!) { execution(id: $id) { state } }`, { id })).body
              .data as { execution: { state: string } }
          ).execution.state,
        { timeout: 5000, interval: 100 },
      )
      .toBe('SUCCEEDED');
  });
});

describe('rerunExecution: idempotency keys across two processes sharing one redis-server', () => {
  let redis: RedisServer;
  let h: Harness;
  let other: App;
  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { MUTATIONS: 'true', REDIS_URL: redis.url, CACHE_SIGNING_KEY: 'shared-key' };
    h = await startHarness(env);
    other = await startApp(
      loadConfig(
        { ...simulatorEnv(h.sims), ...env, PORT: '0', HOST: '127.0.0.1' },
        providerSettings,
      ),
      createLogger('silent'),
      { registry: providers },
    );
  });
  afterAll(async () => {
    await other?.close();
    await h?.close();
    await redis?.close();
  });

  async function rerunAt(url: string, key: string) {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
      body: JSON.stringify({ query: RERUN, variables: { id: 'durable:wf_billing_7', key } }),
    });
    return ((await response.json()) as GraphQLBody<{ rerunExecution: { id: string } }>).data!
      .rerunExecution.id;
  }

  it('one start for the same key on both, sequentially and concurrently; another key starts again', async () => {
    const first = await rerunAt(h.app.url, 'shared-1');
    expect(await rerunAt(other.url, 'shared-1')).toBe(first);
    expect(sim(h, 'durable').startCalls).toBe(1);

    sim(h, 'durable').latencyMs = 100;
    const ids = await Promise.all(
      Array.from({ length: 10 }, (_, i) => rerunAt(i % 2 ? other.url : h.app.url, 'shared-2')),
    );
    sim(h, 'durable').latencyMs = 0;
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).not.toBe(first);
    expect(sim(h, 'durable').startCalls).toBe(2);
    // Neither the client's key nor the customer is in a Redis name.
    const keys = await redis.client.keys('rerun:*');
    expect(keys.length).toBe(2);
    for (const key of keys) {
      expect(key).not.toMatch(/shared-|wf_billing|demo-customer/);
      // Kept for the window (RERUN_IDEMPOTENCY_SECONDS, a day by default), then gone.
      const ttl = await redis.client.pttl(key);
      expect(ttl).toBeGreaterThan(86_400_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(86_400_000);
      // Signed: the started id is not stored bare.
      expect(await redis.client.get(key)).toMatch(/^[\w-]{43}\./);
    }
  });
});

describe('mutations off', () => {
  it('has no rerunExecution in the schema', () => {
    expect(buildSchema(providers, false).getMutationType()).toBeUndefined();
    expect(
      buildSchema(providers, true).getMutationType()?.getFields().rerunExecution,
    ).toBeDefined();
  });
});

describe('steps of a search page', () => {
  it('load from the list items: one steps call per execution and no GET', async () => {
    const h = await startHarness();
    try {
      const { body } = await h.query(
        `{ searchExecutions(first: 30, filter: { providers: [DURABLE_WORKFLOW, SERVERLESS_WORKFLOW] }) {
          nodes { id steps { name state } }
        } }`,
      );
      expect(body.errors).toBeUndefined();
      const nodes = body.data!.searchExecutions.nodes as Array<{ id: string }>;
      const count = (p: string) => nodes.filter((n) => n.id.startsWith(`${p}:`)).length;
      expect(sim(h, 'durable').stepsCalls).toBe(count('durable'));
      expect(sim(h, 'serverless').stepsCalls).toBe(count('serverless'));
      const getIds = (key: string) =>
        sim(h, key)
          .requests.filter((r) => r.method === 'GET' && r.id !== null)
          .map((r) => r.id);
      expect(getIds('serverless')).toEqual([]);
      // The engine's children read their root once, for its topic; nothing else is fetched.
      const roots = new Set(
        nodes
          .filter((n) => n.id.startsWith('durable:'))
          .map((n) => sim(h, 'durable').records.get(n.id.slice('durable:'.length)))
          .map((r) => (r as { root_execution_id: string | null }).root_execution_id)
          .filter((root): root is string => root !== null),
      );
      const fetched = getIds('durable');
      expect(new Set(fetched).size).toBe(fetched.length);
      for (const id of fetched) expect(roots.has(id!)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
