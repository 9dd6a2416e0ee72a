import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import {
  NODE_STATUSES,
  REFOLD_DEMO_LINKED_ACCOUNT,
  REFOLD_SECOND_LINKED_ACCOUNT,
  startRefoldSimulator,
  type RefoldNode,
  type RefoldSimulator,
} from '../../src/simulators/refold.js';

interface Execution {
  _id: string;
  status: string;
  createdAt: string;
  name: string;
  associated_workflow: { name: string };
  associated_application: { name: string };
  associated_event_id: string;
  config_id: string;
  environment: string;
  nodes?: RefoldNode[];
  completion_percentage?: number;
}

const headersOf = (account: string) => ({
  'x-api-key': 'demo-refold-key',
  linked_account_id: account,
});
const demo = headersOf(REFOLD_DEMO_LINKED_ACCOUNT);
const RUNNING = '674d2a10c1f3b2a9e0a10003';
const COMPLETED = '674d2a10c1f3b2a9e0a10005';
const ERRORED = '65410cf6cdf931a12d7ab009';
const LIVE = '674d2a10c1f3b2a9e0a1000b';

let sim: RefoldSimulator;
beforeAll(async () => {
  sim = await startRefoldSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const get = async (id: string, headers = demo): Promise<Execution> => {
  const res = await fetch(`${sim.url}/api/v2/public/execution/${id}`, { headers });
  expect(res.status).toBe(200);
  return (await res.json()) as Execution;
};
const rerun = (id: string, headers: Record<string, string> = demo) =>
  fetch(`${sim.url}/api/v2/public/execution/${id}/rerun`, { method: 'POST', headers });
const brief = (nodes: RefoldNode[] | undefined) =>
  nodes?.map(({ node_name, node_status }) => [node_name, node_status]);

describe('refold nodes', () => {
  it('answers nodes and completion_percentage in some GETs, and none in the others', async () => {
    const withNodes: string[] = [];
    for (const { id } of sim.seeded) {
      const execution = await get(id);
      expect('completion_percentage' in execution).toBe('nodes' in execution);
      if (execution.nodes) withNodes.push(id);
    }
    expect(withNodes).toEqual([RUNNING, COMPLETED, ERRORED, LIVE]);
  });

  it('gives each node the documented fields, execution_time in milliseconds', async () => {
    const { nodes, completion_percentage } = await get(ERRORED);
    expect(completion_percentage).toBe(50);
    expect(nodes).toEqual([
      {
        node_id: '258e35b72267edc025070001',
        node_name: 'Event trigger',
        node_type: 'trigger',
        node_status: 'COMPLETED',
        attempts_made: 1,
        execution_time: 11,
        latest_output: { event: 'Deal Won' },
      },
      {
        node_id: '258e35b72267edc025070002',
        node_name: 'Format message',
        node_type: 'custom_code',
        node_status: 'COMPLETED',
        attempts_made: 1,
        execution_time: 28,
        latest_output: { text: 'Deal won: ACME, 12,000 EUR' },
      },
      {
        node_id: '258e35b72267edc025070003',
        node_name: 'Post message',
        node_type: 'action',
        node_status: 'ERRORED',
        attempts_made: 3,
        execution_time: 1905,
        latest_output: {
          error: 'channel_not_found: #deals-won does not exist or the app is not in it',
        },
      },
      {
        node_id: '258e35b72267edc025070004',
        node_name: 'Log result',
        node_type: 'action',
        node_status: 'SKIPPED',
        attempts_made: 0,
        execution_time: 0,
        latest_output: null,
      },
    ]);
  });

  it('keeps the nodes consistent with the status', async () => {
    expect(brief((await get(RUNNING)).nodes)).toEqual([
      ['Event trigger', 'COMPLETED'],
      ['Find existing lead', 'COMPLETED'],
      ['Create lead', 'RUNNING'],
      ['Notify owner', 'QUEUED'],
    ]);
    const completed = await get(COMPLETED);
    expect(completed.completion_percentage).toBe(100);
    expect(completed.nodes!.every((n) => n.node_status === 'COMPLETED')).toBe(true);
    const queued = await get(LIVE);
    expect(queued.completion_percentage).toBe(0);
    expect(queued.nodes!.every((n) => n.node_status === 'QUEUED')).toBe(true);
    for (const node of [...completed.nodes!, ...queued.nodes!]) {
      expect(NODE_STATUSES).toContain(node.node_status);
    }
  });

  it('lists the nodes with the docs, as the GET answers them', async () => {
    const res = await fetch(`${sim.url}/api/v2/public/execution?limit=100`, { headers: demo });
    const { docs } = (await res.json()) as { docs: Execution[] };
    const errored = docs.find(({ _id }) => _id === ERRORED)!;
    expect(errored).toEqual(await get(ERRORED));
  });

  it('moves the nodes with the status: the live one on the clock, a stopped one', async () => {
    sim.advance(LIVE);
    expect(brief((await get(LIVE)).nodes)).toEqual([
      ['Event trigger', 'COMPLETED'],
      ['Read changes', 'RUNNING'],
      ['Write changes', 'QUEUED'],
    ]);
    sim.advance(LIVE);
    expect((await get(LIVE)).completion_percentage).toBe(100);
    sim.stopDelayMs = 10;
    const stop = await fetch(`${sim.url}/api/v2/public/execution/${RUNNING}/stop`, {
      method: 'POST',
      headers: demo,
    });
    expect(stop.status).toBe(200);
    expect(brief((await get(RUNNING)).nodes)![2]).toEqual(['Create lead', 'RUNNING']);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = await get(RUNNING);
    expect(stopped.status).toBe('STOPPED');
    expect(brief(stopped.nodes)!.slice(2)).toEqual([
      ['Create lead', 'STOPPED'],
      ['Notify owner', 'SKIPPED'],
    ]);
  });
});

describe('refold rerun', () => {
  it('starts the same workflow again for the account: RUNNING, GET-able, listed first', async () => {
    const before = Date.now();
    const res = await rerun(ERRORED);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; id: string };
    expect(Object.keys(body)).toEqual(['status', 'id']);
    expect(body).toEqual({ status: 'success', id: expect.stringMatching(/^[0-9a-f]{24}$/) });
    const original = await get(ERRORED);
    const started = await get(body.id);
    const { _id, createdAt, status, nodes, completion_percentage, ...same } = started;
    expect(same).toEqual({
      name: original.name,
      associated_application: original.associated_application,
      associated_workflow: original.associated_workflow,
      environment: original.environment,
      config_id: original.config_id,
      associated_event_id: original.associated_event_id,
    });
    expect(_id).toBe(body.id);
    expect(status).toBe('RUNNING');
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(completion_percentage).toBe(50);
    expect(brief(nodes)![2]).toEqual(['Post message', 'RUNNING']);
    const list = await fetch(`${sim.url}/api/v2/public/execution?limit=1`, { headers: demo });
    const { docs } = (await list.json()) as { docs: Execution[] };
    expect(docs.map(({ _id: id }) => id)).toEqual([body.id]);
    expect(sim.startCalls).toBe(1);
  });

  it('reruns one without nodes without nodes, and twice when asked twice', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await rerun('674d2a10c1f3b2a9e0a10001');
      ids.add(((await res.json()) as { id: string }).id);
    }
    expect(ids.size).toBe(2);
    for (const id of ids) expect(await get(id)).not.toHaveProperty('nodes');
  });

  it("starts the second account's rerun for that account only", async () => {
    const second = headersOf(REFOLD_SECOND_LINKED_ACCOUNT);
    const theirs = [...sim.owners].find(([, owner]) => owner === REFOLD_SECOND_LINKED_ACCOUNT)![0];
    const res = await rerun(theirs, second);
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(sim.owners.get(id)).toBe(REFOLD_SECOND_LINKED_ACCOUNT);
    expect(
      (await fetch(`${sim.url}/api/v2/public/execution/${id}`, { headers: demo })).status,
    ).toBe(404);
  });

  it.each([
    ['an unknown id', '674d2a10c1f3b2a9e0a1ffff', demo, 404],
    ["another account's execution", ERRORED, headersOf(REFOLD_SECOND_LINKED_ACCOUNT), 404],
    ['a wrong API key', ERRORED, { ...demo, 'x-api-key': 'nope' }, 401],
    ['no linked_account_id', ERRORED, { 'x-api-key': 'demo-refold-key' }, 400],
  ])('answers %s with its error body and starts nothing', async (_label, id, headers, status) => {
    const res = await rerun(id, headers);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({
      status_code: status,
      request_id: res.headers.get('x-request-id'),
    });
    expect(sim.records.size).toBe(sim.seeded.length + sim.history.length);
    expect(sim.startCalls).toBe(1);
  });

  it('has no steps call to count', () => {
    expect(sim.stepsCalls).toBe(0);
  });
});
