import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { startDurableSimulator, type DurableSimulator } from '../../src/simulators/durable.js';

interface Run {
  id: string;
  workflow_id: string;
  created_at: string;
  status: string;
  [field: string]: unknown;
}

const auth = { authorization: 'Bearer demo-durable-token' };
const FIELDS = [
  'id',
  'root_execution_id',
  'workflow_id',
  'session_id',
  'created_at',
  'completed_at',
  'status',
  'payload',
  'result',
  'error',
];

let sim: DurableSimulator;
beforeAll(async () => {
  sim = await startDurableSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const list = (query: string) =>
  fetch(`${sim.url}/api/v1/workflows/runs?${query}`, { headers: auth });
const runs = async (query: string): Promise<Run[]> => {
  const res = await list(query);
  expect(res.status).toBe(200);
  return (await res.json()) as Run[];
};
/** Every page of `query` at `limit`, until a short one. */
const everyPage = async (query: string, limit: number): Promise<Run[][]> => {
  const pages: Run[][] = [];
  for (let offset = 0; ; offset += limit) {
    pages.push(await runs(`workflow_type=workflow&${query}&limit=${limit}&offset=${offset}`));
    if (pages.at(-1)!.length < limit) return pages;
  }
};
/** The stored records, newest first by `created_at`, equal times by id descending. */
const expected = (keep: (run: Run) => boolean = () => true) =>
  ([...sim.records.values()] as Run[])
    .filter(keep)
    .sort(
      (a, b) =>
        Date.parse(b.created_at) - Date.parse(a.created_at) ||
        (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    )
    .map(({ id }) => id);

describe('durable runs: seeds', () => {
  it('stores 64 older runs of several workflows, states and days, some created at one instant', () => {
    const history = sim.history.map(({ id }) => sim.records.get(id) as Run);
    expect(history.length).toBeGreaterThanOrEqual(60);
    expect(new Set(history.map((r) => r.workflow_id)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(history.map((r) => r.status))).toEqual(
      new Set([
        'queued',
        'claimed',
        'pending',
        'running',
        'waiting',
        'completed',
        'failed',
        'cancelled',
      ]),
    );
    const days = new Set(history.map((r) => r.created_at.slice(0, 10)));
    expect(days.size).toBeGreaterThanOrEqual(15);
    expect([...days].every((day) => day >= '2026-11-01' && day <= '2026-11-20')).toBe(true);
    const perInstant = new Map<string, number>();
    for (const { created_at } of history)
      perInstant.set(created_at, (perInstant.get(created_at) ?? 0) + 1);
    const ties = [...perInstant.values()].filter((n) => n > 1);
    expect(ties.length).toBeGreaterThanOrEqual(5);
    expect(Math.max(...ties)).toBe(3);
  });
});

describe('durable runs: paging and order', () => {
  it('lists every stored run exactly once across pages, newest first, ties by id descending', async () => {
    const pages = await everyPage('', 7);
    const ids = pages.flat().map(({ id }) => id);
    expect(ids).toEqual(expected());
    expect(new Set(ids).size).toBe(sim.seeded.length + sim.history.length);
    expect(pages.slice(0, -1).every((page) => page.length === 7)).toBe(true);
  });

  it('answers 50 by default and at most 100, from offset 0', async () => {
    const first = await runs('');
    expect(first.map(({ id }) => id)).toEqual(expected().slice(0, 50));
    expect((await runs('limit=100')).length).toBe(sim.records.size);
    expect((await runs(`offset=${sim.records.size}`)).length).toBe(0);
  });

  it('answers each run with the ten list fields only, as its GET has them', async () => {
    for (const run of await runs('limit=100')) {
      expect(Object.keys(run)).toEqual(FIELDS);
      const res = await fetch(`${sim.url}/api/v1/executions/${run.id}`, { headers: auth });
      const whole = (await res.json()) as Record<string, unknown>;
      expect(run).toEqual(Object.fromEntries(FIELDS.map((field) => [field, whole[field]])));
    }
  });

  it('lists a run a test adds at run time first, with null for the fields it lacks', async () => {
    const now = new Date().toISOString();
    sim.records.set('wf_added', sim.definition.record('wf_added', 'running'));
    (sim.records.get('wf_added') as Run).created_at = now;
    const [first] = await runs('limit=1');
    expect(first).toMatchObject({ id: 'wf_added', created_at: now, session_id: null, error: null });
  });
});

describe('durable runs: filters', () => {
  it('keeps one workflow with workflow_id', async () => {
    const listed = (await everyPage('workflow_id=monthly-billing', 10)).flat();
    expect(listed.map(({ id }) => id)).toEqual(
      expected((r) => r.workflow_id === 'monthly-billing'),
    );
    expect(listed.length).toBeGreaterThanOrEqual(10);
  });

  it('keeps start_time <= created_at < end_time', async () => {
    // Three runs share this instant: start_time includes them, end_time leaves them out.
    const tie = '2026-11-06T09:54:00.000Z';
    const at = Date.parse(tie);
    const from = await runs(`limit=100&start_time=${encodeURIComponent(tie)}`);
    expect(from.map(({ id }) => id)).toEqual(expected((r) => Date.parse(r.created_at) >= at));
    const before = await runs(`limit=100&end_time=2026-11-06T09:54:00Z`);
    expect(before.map(({ id }) => id)).toEqual(expected((r) => Date.parse(r.created_at) < at));
    expect(from.length + before.length).toBe(sim.records.size);
    const tied = await runs(
      `start_time=${encodeURIComponent(tie)}&end_time=${encodeURIComponent('2026-11-06T10:55:00+01:00')}`,
    );
    expect(tied.map(({ created_at }) => created_at)).toEqual([tie, tie, tie]);
    expect(tied.map(({ id }) => id)).toEqual([...tied.map(({ id }) => id)].sort().reverse());
  });

  it('has no status filter: an unknown status parameter changes nothing', async () => {
    expect(await runs('status=failed&limit=100')).toEqual(await runs('limit=100'));
  });

  it('lists nothing for the agent and tool workflow types', async () => {
    expect(await runs('workflow_type=agent')).toEqual([]);
  });
});

describe('durable runs: bad input', () => {
  it.each([
    'limit=0',
    'limit=101',
    'limit=ten',
    'limit=5.5',
    'limit=-1',
    'limit=1&limit=2',
    'offset=-1',
    'offset=1e3',
    'workflow_type=job',
    'start_time=yesterday',
    'start_time=2026-11-20',
    'end_time=2026-02-30T00:00:00Z',
    'end_time=2026-11-20T24:00:00Z',
    'end_time=2026-11-20 10:00:00Z',
  ])('answers 400 with its error body for %s', async (query) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: 'bad_request', message: expect.stringContaining(query.split('=')[0]!) },
    });
  });
});
