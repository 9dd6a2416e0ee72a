import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import {
  REFOLD_DEMO_LINKED_ACCOUNT,
  REFOLD_SECOND_LINKED_ACCOUNT,
  startRefoldSimulator,
  type RefoldSimulator,
} from '../../src/simulators/refold.js';

interface Doc {
  _id: string;
  createdAt: string;
  status: string;
}
interface Page {
  docs: Doc[];
  totalDocs: number;
  limit: number;
  totalPages: number;
  page: number;
  pagingCounter: number;
  hasPrevPage: boolean;
  hasNextPage: boolean;
  prevPage: number | null;
  nextPage: number | null;
}

const STATUSES = ['COMPLETED', 'ERRORED', 'RUNNING', 'STOPPED', 'STOPPING', 'TIMED_OUT'];
const headersOf = (account: string) => ({
  'x-api-key': 'demo-refold-key',
  linked_account_id: account,
});
const demo = headersOf(REFOLD_DEMO_LINKED_ACCOUNT);

let sim: RefoldSimulator;
beforeAll(async () => {
  sim = await startRefoldSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const list = (query: string, headers: Record<string, string> = demo) =>
  fetch(`${sim.url}/api/v2/public/execution?${query}`, { headers });
const page = async (query: string, headers = demo): Promise<Page> => {
  const res = await list(query, headers);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};
/** Every page of `query`, following `nextPage` from page 1. */
const everyPage = async (query: string, headers = demo): Promise<Page[]> => {
  const pages = [await page(`${query}&page=1`, headers)];
  while (pages.at(-1)!.nextPage !== null) {
    pages.push(await page(`${query}&page=${pages.at(-1)!.nextPage}`, headers));
  }
  return pages;
};
/** The ids `account` owns, newest first by `createdAt`, equal times by id descending. */
const expected = (account: string, keep: (doc: Doc) => boolean = () => true) =>
  [...sim.records]
    .filter(([id]) => (sim.owners.get(id) ?? REFOLD_DEMO_LINKED_ACCOUNT) === account)
    .map(([, record]) => record as Doc)
    .filter(keep)
    .sort(
      (a, b) =>
        Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
        (a._id < b._id ? 1 : a._id > b._id ? -1 : 0),
    )
    .map(({ _id }) => _id);

describe('refold list: seeds', () => {
  it('gives the demo account 64 older executions and the second account 12 others', () => {
    const owned = (account: string) =>
      sim.history.filter(
        ({ id }) => (sim.owners.get(id) ?? REFOLD_DEMO_LINKED_ACCOUNT) === account,
      );
    expect(owned(REFOLD_DEMO_LINKED_ACCOUNT)).toHaveLength(64);
    expect(owned(REFOLD_SECOND_LINKED_ACCOUNT)).toHaveLength(12);
    expect(sim.secondLinkedAccount).toBe(REFOLD_SECOND_LINKED_ACCOUNT);
    const docs = sim.history.map(({ id }) => sim.records.get(id) as Doc);
    const instants = docs.map(({ createdAt }) => createdAt);
    expect(new Set(instants).size).toBeLessThan(instants.length - 5);
    expect(instants.every((at) => at >= '2026-11-01' && at < '2026-11-21')).toBe(true);
  });
});

describe('refold list: paging and order', () => {
  it('lists every execution of the account exactly once, newest first, ties by id descending', async () => {
    const pages = await everyPage('limit=9');
    const ids = pages.flatMap(({ docs }) => docs.map(({ _id }) => _id));
    expect(ids).toEqual(expected(REFOLD_DEMO_LINKED_ACCOUNT));
    expect(ids.length).toBe(sim.seeded.length + 64);
    expect(pages.map(({ page }) => page)).toEqual(pages.map((_, i) => i + 1));
  });

  it('answers the mongoose-paginate envelope: first, middle, last and past the end', async () => {
    const total = expected(REFOLD_DEMO_LINKED_ACCOUNT).length;
    const totalPages = Math.ceil(total / 10);
    const envelope = (at: number) => ({
      totalDocs: total,
      limit: 10,
      totalPages,
      page: at,
      pagingCounter: (at - 1) * 10 + 1,
      hasPrevPage: at > 1,
      hasNextPage: at < totalPages,
      prevPage: at > 1 ? at - 1 : null,
      nextPage: at < totalPages ? at + 1 : null,
    });
    const first = await page('');
    expect(Object.keys(first)).toEqual([
      'docs',
      'totalDocs',
      'limit',
      'totalPages',
      'page',
      'pagingCounter',
      'hasPrevPage',
      'hasNextPage',
      'prevPage',
      'nextPage',
    ]);
    expect(first).toMatchObject(envelope(1));
    expect(first.docs).toHaveLength(10);
    expect(await page('page=2')).toMatchObject(envelope(2));
    const last = await page(`page=${totalPages}`);
    expect(last).toMatchObject(envelope(totalPages));
    expect(last.docs).toHaveLength(total - (totalPages - 1) * 10);
    const past = await page(`page=${totalPages + 1}`);
    expect(past).toMatchObject({ ...envelope(totalPages + 1), docs: [] });
  });

  it('answers at most 100 docs, each the whole execution as its GET answers it', async () => {
    const { docs } = await page('limit=100');
    expect(docs).toHaveLength(expected(REFOLD_DEMO_LINKED_ACCOUNT).length);
    for (const doc of docs) {
      const res = await fetch(`${sim.url}/api/v2/public/execution/${doc._id}`, { headers: demo });
      expect(doc).toEqual(await res.json());
    }
  });

  it('lists an execution a test adds at run time first', async () => {
    const id = '674d2a10c1f3b2a9e0a1ffff';
    sim.records.set(id, {
      ...(sim.definition.record(id, 'RUNNING') as object),
      createdAt: new Date().toISOString(),
    });
    expect((await page('limit=1')).docs.map(({ _id }) => _id)).toEqual([id]);
  });
});

describe('refold list: status filter', () => {
  it.each(STATUSES)('keeps %s only', async (status) => {
    const docs = (await everyPage(`status=${status}&limit=5`)).flatMap(({ docs }) => docs);
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.map(({ _id }) => _id)).toEqual(
      expected(REFOLD_DEMO_LINKED_ACCOUNT, (doc) => doc.status === status),
    );
  });

  it('lists every status with All', async () => {
    const all = await page('status=All&limit=100');
    expect(all.totalDocs).toBe(expected(REFOLD_DEMO_LINKED_ACCOUNT).length);
    expect(new Set(all.docs.map(({ status }) => status)).size).toBeGreaterThan(STATUSES.length);
  });
});

describe('refold list: linked accounts', () => {
  it("lists only the requesting account's executions", async () => {
    const second = headersOf(REFOLD_SECOND_LINKED_ACCOUNT);
    const theirs = (await page('limit=100', second)).docs.map(({ _id }) => _id);
    expect(theirs).toEqual(expected(REFOLD_SECOND_LINKED_ACCOUNT));
    expect(theirs).toHaveLength(12);
    const ours = (await page('limit=100')).docs.map(({ _id }) => _id);
    expect(ours.filter((id) => theirs.includes(id))).toEqual([]);
    expect((await page('', headersOf('nobody'))).totalDocs).toBe(0);
    const res = await fetch(`${sim.url}/api/v2/public/execution/${theirs[0]}`, { headers: demo });
    expect(res.status).toBe(404);
  });

  it('follows owners: an execution given to the second account moves to its list', async () => {
    const moved = sim.seeded[0]!.id;
    sim.owners.set(moved, REFOLD_SECOND_LINKED_ACCOUNT);
    const second = await page('limit=100', headersOf(REFOLD_SECOND_LINKED_ACCOUNT));
    expect(second.docs.map(({ _id }) => _id)).toContain(moved);
    expect((await page('limit=100')).docs.map(({ _id }) => _id)).not.toContain(moved);
    sim.reset();
    expect(sim.owners.get(moved)).toBeUndefined();
    expect([...sim.owners.values()]).toEqual(Array(12).fill(REFOLD_SECOND_LINKED_ACCOUNT));
  });
});

describe('refold list: bad input', () => {
  it.each([
    'page=0',
    'page=-1',
    'page=two',
    'limit=0',
    'limit=101',
    'limit=1.5',
    'status=completed',
    'status=QUEUED',
    'status=all',
    'status=COMPLETED&status=ERRORED',
  ])('answers 400 with its error body for %s', async (query) => {
    const res = await list(query);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      status_code: 400,
      http_error_type: 'BAD_REQUEST',
      error_code: 'INVALID_REQUEST',
      message: expect.stringContaining(query.split('=')[0]!),
      request_id: res.headers.get('x-request-id'),
    });
  });

  it('answers 400 without linked_account_id', async () => {
    const res = await list('', { 'x-api-key': 'demo-refold-key' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      message: expect.stringContaining('linked_account_id'),
    });
  });
});
