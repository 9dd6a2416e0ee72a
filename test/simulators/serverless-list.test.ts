import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import {
  SERVERLESS_FOLDER_ID,
  SERVERLESS_OTHER_FOLDER_ID,
  startServerlessSimulator,
  type ServerlessSimulator,
} from '../../src/simulators/serverless.js';

interface Preview {
  id: string;
  workflowId: string;
  status: string;
  startedAt: string;
  duration: string;
}
interface Executions {
  executions: Preview[];
  nextPageToken: string;
}
interface Workflows {
  workflows: Array<{ id: string; folderId: string; name: string; status: string }>;
  nextPageToken: string;
}

const auth = { authorization: 'Bearer demo-serverless-token' };
const MAIN = 'dfqw1x2y3z4a5b6c7d8e';

let sim: ServerlessSimulator;
beforeAll(async () => {
  sim = await startServerlessSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const call = (path: string, params: Record<string, string>) =>
  fetch(`${sim.url}${path}?${new URLSearchParams(params)}`, { headers: auth });
const executions = async (params: Record<string, string>): Promise<Executions> => {
  const res = await call('/workflows/v1/execution', params);
  expect(res.status).toBe(200);
  return (await res.json()) as Executions;
};
/** Every page of `params`, following `nextPageToken` until it is empty. */
const everyPage = async (params: Record<string, string>): Promise<Executions[]> => {
  const pages = [await executions(params)];
  while (pages.at(-1)!.nextPageToken !== '') {
    pages.push(await executions({ ...params, pageToken: pages.at(-1)!.nextPageToken }));
  }
  return pages;
};
const stored = () =>
  [...sim.records.values()].map((record) => (record as { execution: Preview }).execution);
/** The executions of `workflowId`, newest first by `startedAt`, equal starts by id descending. */
const expected = (workflowId: string, keep: (execution: Preview) => boolean = () => true) =>
  stored()
    .filter((execution) => execution.workflowId === workflowId && keep(execution))
    .sort(
      (a, b) =>
        Date.parse(b.startedAt) - Date.parse(a.startedAt) ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .map(({ id }) => id);
const workflowsOf = async (params: Record<string, string>): Promise<Workflows> => {
  const res = await call('/workflows/v1/workflow', params);
  expect(res.status).toBe(200);
  return (await res.json()) as Workflows;
};

describe('serverless list: seeds', () => {
  it('runs 66 older executions over the three workflows of the folder, 4 elsewhere', async () => {
    const { workflows } = await workflowsOf({ folderId: SERVERLESS_FOLDER_ID });
    expect(workflows.map(({ id }) => id)).toHaveLength(3);
    expect(sim.folderId).toBe(SERVERLESS_FOLDER_ID);
    const inFolder = new Set(workflows.map(({ id }) => id));
    const history = sim.history.map(
      ({ id }) => (sim.records.get(id) as { execution: Preview }).execution,
    );
    const mine = history.filter(({ workflowId }) => inFolder.has(workflowId));
    expect(mine.length).toBeGreaterThanOrEqual(60);
    for (const id of inFolder) {
      expect(mine.filter(({ workflowId }) => workflowId === id).length).toBeGreaterThanOrEqual(15);
    }
    expect(history.length - mine.length).toBe(4);
    expect(new Set(history.map(({ status }) => status)).size).toBe(6);
    const starts = mine.map(({ startedAt }) => startedAt);
    expect(new Set(starts).size).toBeLessThan(starts.length - 5);
  });
});

describe('serverless list: paging and order', () => {
  it('lists every execution of a workflow exactly once, newest first, ties by id descending', async () => {
    for (const { id: workflowId } of (await workflowsOf({ folderId: SERVERLESS_FOLDER_ID }))
      .workflows) {
      const pages = await everyPage({ workflowId, pageSize: '7' });
      expect(pages.slice(0, -1).every(({ executions }) => executions.length === 7)).toBe(true);
      const ids = pages.flatMap(({ executions }) => executions.map(({ id }) => id));
      expect(ids).toEqual(expected(workflowId));
    }
  });

  it('answers 100 by default (0 means the default) and at most 1000, with an empty token at the end', async () => {
    sim.addWorkflows(1);
    const [big] = sim.addWorkflows(1, 130);
    const first = await executions({ workflowId: big! });
    expect(first.executions).toHaveLength(100);
    expect(first.nextPageToken).not.toBe('');
    expect((await executions({ workflowId: big!, pageSize: '0' })).executions).toHaveLength(100);
    const all = await executions({ workflowId: big!, pageSize: '1000' });
    expect(all).toEqual({ executions: expect.any(Array), nextPageToken: '' });
    expect(all.executions.map(({ id }) => id)).toEqual(expected(big!));
  });

  it('answers previews: the five fields, as the GET has them', async () => {
    const { executions: previews } = await executions({ workflowId: MAIN, pageSize: '1000' });
    for (const preview of previews) {
      const res = await fetch(`${sim.url}/workflows/v1/execution/${preview.id}`, { headers: auth });
      const { execution } = (await res.json()) as { execution: Record<string, unknown> };
      expect(Object.keys(preview)).toEqual(['id', 'workflowId', 'status', 'startedAt', 'duration']);
      expect(preview).toEqual({
        id: execution.id,
        workflowId: execution.workflowId,
        status: execution.status,
        startedAt: execution.startedAt,
        duration: execution.duration,
      });
    }
  });

  it('lists an execution a test adds at run time first, and keeps a token valid across it', async () => {
    const first = await executions({ workflowId: MAIN, pageSize: '5' });
    const id = 'dfqnew0000000000000';
    const startedAt = new Date().toISOString();
    sim.records.set(id, {
      execution: { id, workflowId: MAIN, status: 'RUNNING', startedAt, duration: '1s' },
    });
    const next = await executions({
      workflowId: MAIN,
      pageSize: '5',
      pageToken: first.nextPageToken,
    });
    expect(next.executions.map(({ id }) => id)).toEqual(expected(MAIN).slice(6, 11));
    expect((await executions({ workflowId: MAIN, pageSize: '1' })).executions[0]!.id).toBe(id);
  });

  it('lists nothing for a workflow with no executions', async () => {
    expect(await executions({ workflowId: 'dfqwnone000000000000' })).toEqual({
      executions: [],
      nextPageToken: '',
    });
  });
});

describe('serverless list: filter', () => {
  const list = (filter: string) => everyPage({ workflowId: MAIN, pageSize: '10', filter });
  const ids = async (filter: string) =>
    (await list(filter)).flatMap(({ executions }) => executions.map(({ id }) => id));
  const ns = (text: string) => BigInt(Date.parse(text)) * 1_000_000n;
  const durationNs = (text: string) => BigInt(Math.round(parseFloat(text) * 1e9));

  it('keeps one status', async () => {
    const failed = await ids('status="FAILED"');
    expect(failed.length).toBeGreaterThan(3);
    expect(failed).toEqual(expected(MAIN, ({ status }) => status === 'FAILED'));
  });

  it('compares started_at with <, > and =, in UTC or with an offset, whole seconds or milliseconds', async () => {
    const from = '2026-11-10T00:00:00Z';
    const to = '2026-11-15T00:00:00.000+00:00';
    expect(await ids(`started_at>"${from}" AND started_at<"${to}"`)).toEqual(
      expected(MAIN, ({ startedAt }) => startedAt > from && startedAt < '2026-11-15T00:00:00Z'),
    );
    // Three executions of this workflow start at this instant.
    const tie = '2026-11-06T09:54:00Z';
    const tied = await ids(`started_at="${tie}"`);
    expect(tied).toEqual(expected(MAIN, (e) => e.startedAt === tie));
    expect(tied).toHaveLength(3);
    expect(await ids(`started_at="2026-11-06T10:54:00.000+01:00"`)).toEqual(
      await ids(`started_at="${tie}"`),
    );
  });

  it('takes finished_at as start plus duration, for ended executions only', async () => {
    const after = '2026-11-15T00:00:00Z';
    const ended = new Set(['STOPPED', 'FAILED', 'FINISHED']);
    const finishedAfter = expected(
      MAIN,
      ({ status, startedAt, duration }) =>
        ended.has(status) && ns(startedAt) + durationNs(duration) > ns(after),
    );
    expect(finishedAfter.length).toBeGreaterThan(3);
    expect(await ids(`finished_at>"${after}" AND status="FINISHED"`)).toEqual(
      finishedAfter.filter(
        (id) => (sim.records.get(id) as { execution: Preview }).execution.status === 'FINISHED',
      ),
    );
    expect(await ids(`finished_at>"${after}"`)).toEqual(finishedAfter);
  });

  it.each([
    'status="failed"',
    'status="DONE"',
    'status<"FAILED"',
    'status = "FAILED"',
    'status=FAILED',
    "status='FAILED'",
    'state="FAILED"',
    'status="FAILED" OR status="FINISHED"',
    'status="FAILED" and started_at>"2026-11-10T00:00:00Z"',
    'status="FAILED" AND ',
    'started_at>"2026-11-10"',
    'started_at>"2026-11-31T00:00:00Z"',
    'started_at>=“2026-11-10T00:00:00Z”',
    'finished_at!="2026-11-10T00:00:00Z"',
  ])('answers 400 with its error body for %s', async (filter) => {
    const res = await call('/workflows/v1/execution', { workflowId: MAIN, filter });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      code: 3,
      message: expect.stringContaining('filter'),
      details: [expect.objectContaining({ requestId: res.headers.get('x-request-id') })],
    });
  });
});

describe('serverless list: bad input', () => {
  const refused = async (params: Record<string, string>, about: string) => {
    const res = await call('/workflows/v1/execution', params);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 3, message: expect.stringContaining(about) });
  };

  it('answers 400 without workflowId', async () => {
    await refused({ pageSize: '5' }, 'workflowId');
  });

  it.each(['-1', '1001', 'ten', '2.5'])('answers 400 for pageSize %s', async (pageSize) => {
    await refused({ workflowId: MAIN, pageSize }, 'pageSize');
  });

  it('answers 400 for a made-up, altered or borrowed page token', async () => {
    const { nextPageToken } = await executions({ workflowId: MAIN, pageSize: '5' });
    await refused({ workflowId: MAIN, pageToken: 'garbage' }, 'pageToken');
    await refused(
      { workflowId: MAIN, pageToken: Buffer.from('5').toString('base64') },
      'pageToken',
    );
    const [payload, check] = nextPageToken.split('.');
    const forged = `${Buffer.from('0 zzzz').toString('base64url')}.${check}`;
    await refused({ workflowId: MAIN, pageToken: forged }, 'pageToken');
    await refused({ workflowId: MAIN, pageToken: `${payload}.${'A'.repeat(22)}` }, 'pageToken');
    await refused({ workflowId: 'dfqw2invoice0sync000', pageToken: nextPageToken }, 'pageToken');
    await refused(
      { workflowId: MAIN, filter: 'status="FAILED"', pageToken: nextPageToken },
      'pageToken',
    );
    const workflows = await workflowsOf({ folderId: SERVERLESS_FOLDER_ID, pageSize: '1' });
    await refused({ workflowId: MAIN, pageToken: workflows.nextPageToken }, 'pageToken');
  });
});

describe('serverless workflows of a folder', () => {
  it('lists the folder’s workflows in their order, and the other folder’s apart', async () => {
    const { workflows, nextPageToken } = await workflowsOf({ folderId: SERVERLESS_FOLDER_ID });
    expect(workflows.map(({ id }) => id)).toEqual([
      MAIN,
      'dfqw2invoice0sync000',
      'dfqw3nightly0report0',
    ]);
    expect(
      workflows.every((w) => w.folderId === SERVERLESS_FOLDER_ID && w.status === 'ACTIVE'),
    ).toBe(true);
    expect(nextPageToken).toBe('');
    const other = await workflowsOf({ folderId: SERVERLESS_OTHER_FOLDER_ID });
    expect(other.workflows.map(({ folderId }) => folderId)).toEqual([SERVERLESS_OTHER_FOLDER_ID]);
    expect((await workflowsOf({ folderId: 'b1gnosuchfolder00000' })).workflows).toEqual([]);
  });

  it('pages through 28 workflows after addWorkflows(25), each once; reset() leaves 3', async () => {
    const added = sim.addWorkflows(25);
    expect(added).toHaveLength(25);
    expect(new Set(added).size).toBe(25);
    const seen: string[] = [];
    let token = '';
    do {
      const page = await workflowsOf({
        folderId: SERVERLESS_FOLDER_ID,
        pageSize: '6',
        ...(token ? { pageToken: token } : {}),
      });
      seen.push(...page.workflows.map(({ id }) => id));
      token = page.nextPageToken;
    } while (token !== '');
    expect(seen).toEqual([MAIN, 'dfqw2invoice0sync000', 'dfqw3nightly0report0', ...added]);
    sim.reset();
    expect((await workflowsOf({ folderId: SERVERLESS_FOLDER_ID })).workflows).toHaveLength(3);
    expect(sim.addWorkflows(1)).toEqual([added[0]]);
  });

  it('lists the executions addWorkflows gives each workflow', async () => {
    const [id] = sim.addWorkflows(1, 3);
    const { executions: listed } = await executions({ workflowId: id! });
    expect(listed.map(({ status }) => status)).toEqual(['FINISHED', 'FINISHED', 'FINISHED']);
    expect(listed.map(({ id }) => id)).toEqual(expected(id!));
  });

  it('answers 400 without folderId, for a bad pageSize and for a foreign token', async () => {
    const { nextPageToken } = await executions({ workflowId: MAIN, pageSize: '1' });
    const cases: Array<Record<string, string>> = [
      {},
      { folderId: SERVERLESS_FOLDER_ID, pageSize: '1001' },
      { folderId: SERVERLESS_FOLDER_ID, pageToken: nextPageToken },
    ];
    for (const params of cases) {
      const res = await call('/workflows/v1/workflow', params);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 3 });
    }
  });

  it('counts workflow list calls apart from execution list calls', async () => {
    await workflowsOf({ folderId: SERVERLESS_FOLDER_ID });
    await workflowsOf({ folderId: SERVERLESS_OTHER_FOLDER_ID });
    await executions({ workflowId: MAIN });
    expect([sim.workflowListCalls, sim.listCalls]).toEqual([2, 1]);
    sim.inject({ kind: 'status', status: 503 }, { on: 'list' });
    expect((await call('/workflows/v1/workflow', { folderId: SERVERLESS_FOLDER_ID })).status).toBe(
      503,
    );
    sim.reset();
    expect([sim.workflowListCalls, sim.listCalls]).toEqual([0, 0]);
  });
});
