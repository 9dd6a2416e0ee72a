import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startDurableSimulator, type DurableSimulator } from '../../src/simulators/durable.js';

interface Event {
  id: string;
  sequence_id: number;
  topic: string;
  event_type: string;
  data: {
    step_key: string;
    step_type: string;
    data: unknown;
    _metadata: { execution_id: string; workflow_id: string };
  };
  created_at: string;
}
interface Events {
  events: Event[];
  next_sequence_id: number | null;
  has_more: boolean;
}

const auth = { authorization: 'Bearer demo-durable-token' };
const ROOT_TOPIC = 'workflow/order-fulfilment/wf_root_1';

let sim: DurableSimulator;
beforeAll(async () => {
  sim = await startDurableSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const call = (params: Record<string, string>, headers: Record<string, string> = auth) =>
  fetch(`${sim.url}/api/v1/events?${new URLSearchParams(params)}`, { headers });
const events = async (params: Record<string, string>): Promise<Events> => {
  const res = await call(params);
  expect(res.status).toBe(200);
  return (await res.json()) as Events;
};
/** Each execution's steps as its events tell them: key, type, starts, finished. */
const stepsBy = (list: Event[]) => {
  const by: Record<string, Array<[string, string, number, boolean]>> = {};
  for (const { event_type, data } of list) {
    const steps = (by[data._metadata.execution_id] ??= []);
    let step = steps.find(([key]) => key === data.step_key);
    if (!step) steps.push((step = [data.step_key, data.step_type, 0, false]));
    if (event_type === 'step_start') step[2] += 1;
    if (event_type === 'step_finish') step[3] = true;
  }
  return by;
};
const run = (workflow: string, body: string) =>
  fetch(`${sim.url}/api/v1/workflows/${encodeURIComponent(workflow)}/run`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body,
  });

describe('durable events: shape', () => {
  it('answers the events of a tree on the root topic, in the engine fields and order', async () => {
    const res = await call({ topic: ROOT_TOPIC, limit: '2' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as Events;
    expect(Object.keys(body)).toEqual(['events', 'next_sequence_id', 'has_more']);
    expect(body.events.map((event) => Object.keys(event))).toEqual([
      ['id', 'sequence_id', 'topic', 'event_type', 'data', 'created_at'],
      ['id', 'sequence_id', 'topic', 'event_type', 'data', 'created_at'],
    ]);
    const metadata = { execution_id: 'wf_root_1', workflow_id: 'order-fulfilment' };
    expect(body).toEqual({
      events: [
        {
          id: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/,
          ),
          sequence_id: 1,
          topic: ROOT_TOPIC,
          event_type: 'step_start',
          data: {
            step_key: 'validate-order',
            step_type: 'run',
            data: { orderId: 'ORD-1001', items: 3 },
            _metadata: metadata,
          },
          created_at: '2026-11-20T10:00:01.200Z',
        },
        {
          id: expect.any(String),
          sequence_id: 2,
          topic: ROOT_TOPIC,
          event_type: 'step_finish',
          data: {
            step_key: 'validate-order',
            step_type: 'run',
            data: { result: { valid: true } },
            _metadata: metadata,
          },
          created_at: '2026-11-20T10:00:01.800Z',
        },
      ],
      next_sequence_id: 2,
      has_more: true,
    });
  });

  it('tells each execution of the tree its steps, a failed or waiting one never finished', async () => {
    const { events: list } = await events({ topic: ROOT_TOPIC });
    expect(list.map(({ sequence_id }) => sequence_id)).toEqual(list.map((_, i) => i + 1));
    const times = list.map(({ created_at }) => Date.parse(created_at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(list.map(({ id }) => id)).size).toBe(list.length);
    expect(stepsBy(list)).toEqual({
      wf_root_1: [
        ['validate-order', 'run', 1, true],
        ['reserve-stock', 'invoke', 1, true],
        ['charge-card', 'invoke', 1, false],
        ['send-invoice', 'invoke', 1, false],
      ],
      wf_child_1a: [
        ['check-inventory', 'run', 1, true],
        ['hold-items', 'run', 1, true],
      ],
      wf_child_1b: [
        ['tokenize-card', 'run', 1, true],
        ['authorize-payment', 'run', 3, true],
        ['fraud-check', 'invoke', 1, false],
      ],
      wf_child_1c: [
        ['render-invoice', 'run', 1, true],
        ['wait-for-approval', 'wait_for', 1, false],
      ],
    });
    // An invocation's result is its child's.
    const reserved = list.find(
      (e) => e.event_type === 'step_finish' && e.data.step_key === 'reserve-stock',
    )!;
    expect(reserved.data.data).toEqual({
      result: (sim.records.get('wf_child_1a') as { result: unknown }).result,
    });
  });

  it('gives the failed and the completed seeded runs their steps', async () => {
    const billing = await events({ topic: 'workflow/monthly-billing/wf_billing_7' });
    expect(stepsBy(billing.events)).toEqual({
      wf_billing_7: [
        ['load-invoices', 'run', 1, true],
        ['post-ledger', 'run', 3, false],
      ],
    });
    const report = await events({ topic: 'workflow/weekly-report/wf_report_9' });
    expect(stepsBy(report.events)).toEqual({
      wf_report_9: [
        ['collect-metrics', 'run', 1, true],
        ['render-report', 'run', 1, true],
        ['upload', 'run', 1, true],
      ],
    });
    expect(report.events.at(-1)!.data.data).toEqual({ result: ['report-47.pdf'] });
  });

  it('gives the older runs the steps their status implies', async () => {
    const byStatus = new Map<string, string>();
    for (const { id, status } of sim.history) if (!byStatus.has(status)) byStatus.set(status, id);
    const stepsOf = async (id: string) => {
      const { workflow_id } = sim.records.get(id) as { workflow_id: string };
      return stepsBy((await events({ topic: `workflow/${workflow_id}/${id}` })).events)[id];
    };
    expect(await stepsOf(byStatus.get('failed')!)).toEqual([
      ['prepare', 'run', 1, true],
      ['load', 'run', 1, false],
    ]);
    expect(await stepsOf(byStatus.get('completed')!)).toEqual([
      ['prepare', 'run', 1, true],
      ['load', 'run', 1, true],
      ['save', 'run', 1, true],
    ]);
    expect(await stepsOf(byStatus.get('running')!)).toEqual([['prepare', 'run', 1, false]]);
    expect(await stepsOf(byStatus.get('waiting')!)).toEqual([
      ['prepare', 'run', 1, true],
      ['await-signal', 'wait_for', 1, false],
    ]);
    expect(await stepsOf(byStatus.get('queued')!)).toBeUndefined();
  });

  it('answers the same events, ids included, on every call and after reset', async () => {
    const first = await events({ topic: ROOT_TOPIC });
    sim.reset();
    expect(await events({ topic: ROOT_TOPIC })).toEqual(first);
  });

  it('answers the steps a test sets for an execution instead', async () => {
    sim.steps.set('wf_child_1a', [{ key: 'only', type: 'run', input: 1, starts: [0] }]);
    const { events: list } = await events({ topic: ROOT_TOPIC });
    expect(stepsBy(list).wf_child_1a).toEqual([['only', 'run', 1, false]]);
    sim.reset();
    expect(sim.steps.size).toBe(0);
  });
});

describe('durable events: paging', () => {
  it('pages after last_sequence_id (exclusive) by limit, a full page saying has_more', async () => {
    const all = (await events({ topic: ROOT_TOPIC })).events;
    expect(all.length).toBe(20);
    const paged: Event[] = [];
    let after = 0;
    for (;;) {
      const page = await events({ topic: ROOT_TOPIC, limit: '6', last_sequence_id: String(after) });
      paged.push(...page.events);
      expect(page.has_more).toBe(page.events.length === 6);
      if (!page.has_more) {
        expect(page.next_sequence_id).toBe(page.events.at(-1)?.sequence_id ?? null);
        break;
      }
      after = page.next_sequence_id!;
    }
    expect(paged).toEqual(all);
    const last = await events({ topic: ROOT_TOPIC, last_sequence_id: '20' });
    expect(last).toEqual({ events: [], next_sequence_id: null, has_more: false });
  });

  it('answers 100 by default and at most 1000', async () => {
    sim.steps.set('wf_report_9', [
      { key: 'many', type: 'run', input: null, starts: Array.from({ length: 1500 }, (_, i) => i) },
    ]);
    const topic = 'workflow/weekly-report/wf_report_9';
    expect((await events({ topic })).events).toHaveLength(100);
    expect((await events({ topic, limit: '1000' })).events).toHaveLength(1000);
    expect((await events({ topic, limit: '1000', last_sequence_id: '1000' })).events).toHaveLength(
      500,
    );
  });

  it.each([
    ['the root of another workflow', 'workflow/nightly-sync/wf_root_1'],
    ['a child', 'workflow/reserve-stock/wf_child_1a'],
    ['an unknown execution', 'workflow/order-fulfilment/wf_nope'],
    ['a topic of another shape', 'agent/wf_root_1'],
  ])('answers no events for %s', async (_label, topic) => {
    expect(await events({ topic })).toEqual({
      events: [],
      next_sequence_id: null,
      has_more: false,
    });
  });

  it.each([
    ['no topic', {}],
    ['limit 0', { topic: ROOT_TOPIC, limit: '0' }],
    ['limit 1001', { topic: ROOT_TOPIC, limit: '1001' }],
    ['a negative last_sequence_id', { topic: ROOT_TOPIC, last_sequence_id: '-1' }],
  ])('answers 400 for %s', async (_label, params) => {
    const res = await call(params);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
  });

  it('answers 401 without the token, and counts every call', async () => {
    const res = await call({ topic: ROOT_TOPIC }, {});
    expect(res.status).toBe(401);
    await call({});
    await call({ topic: ROOT_TOPIC });
    expect(sim.stepsCalls).toBe(3);
    expect(sim.listCalls).toBe(0);
  });
});

describe('durable run', () => {
  it('runs the workflow with the payload: queued, GET-able, listed first, no events yet', async () => {
    const before = Date.now();
    const res = await run('monthly-billing', JSON.stringify({ payload: { month: '2026-10' } }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { execution_id: string; created_at: string };
    expect(Object.keys(body)).toEqual(['execution_id', 'created_at']);
    expect(body.execution_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.created_at)).toBeGreaterThanOrEqual(before - 1);
    const got = await fetch(`${sim.url}/api/v1/executions/${body.execution_id}`, {
      headers: auth,
    });
    expect(await got.json()).toMatchObject({
      id: body.execution_id,
      status: 'queued',
      workflow_id: 'monthly-billing',
      payload: { month: '2026-10' },
      created_at: body.created_at,
      root_execution_id: null,
      parent_execution_id: null,
      started_at: null,
    });
    const listed = await fetch(`${sim.url}/api/v1/workflows/runs?limit=1`, { headers: auth });
    expect(((await listed.json()) as Array<{ id: string }>).map(({ id }) => id)).toEqual([
      body.execution_id,
    ]);
    const own = await events({ topic: `workflow/monthly-billing/${body.execution_id}` });
    expect(own.events).toEqual([]);
    expect(sim.startCalls).toBe(1);
  });

  it('takes any JSON payload, none as null, and starts twice when asked twice', async () => {
    const ids: string[] = [];
    for (const body of ['{"payload": "week-47"}', '{}', '']) {
      const res = await run('weekly-report', body);
      expect(res.status).toBe(200);
      ids.push(((await res.json()) as { execution_id: string }).execution_id);
    }
    expect(ids.map((id) => (sim.records.get(id) as { payload: unknown }).payload)).toEqual([
      'week-47',
      null,
      null,
    ]);
    expect(new Set(ids).size).toBe(3);
  });

  it.each([
    ['not JSON', '{"payload": '],
    ['not an object', '[1]'],
  ])('answers a body that is %s with 400 and runs nothing', async (_label, body) => {
    const res = await run('weekly-report', body);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect(sim.records.size).toBe(sim.seeded.length + sim.history.length);
  });

  it('answers 401 without the token and runs nothing', async () => {
    const res = await fetch(`${sim.url}/api/v1/workflows/weekly-report/run`, {
      method: 'POST',
      body: '{}',
    });
    expect(res.status).toBe(401);
    expect(sim.records.size).toBe(sim.seeded.length + sim.history.length);
    expect(sim.startCalls).toBe(1);
  });
});
