import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { Executions } from '../../src/executions/executions.js';
import { startApp } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { Metrics } from '../../src/telemetry/metrics.js';
import { Abort } from '../../src/upstream/abort.js';
import type { Simulator } from '../../src/simulators/index.js';
import { REFOLD_SECOND_LINKED_ACCOUNT } from '../../src/simulators/refold.js';
import { startHarness, type GraphQLBody, type Harness } from '../harness.js';

const DEMO_HEADERS = await demoHeaders();
const LISTING = ['durable', 'refold', 'serverless'] as const;
type Listing = (typeof LISTING)[number];

const PAGE = /* GraphQL */ `
  query Page($filter: ExecutionFilter, $first: Int, $after: String) {
    searchExecutions(filter: $filter, first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          provider
          state
          createdAt
        }
      }
      nodes {
        id
      }
      pageInfo {
        hasNextPage
        endCursor
        hasPreviousPage
        startCursor
      }
      providers {
        provider
        searched
        code
        message
      }
    }
  }
`;

interface Node {
  id: string;
  provider: string;
  state: string;
  createdAt: string | null;
}

interface Page {
  edges: Array<{ cursor: string; node: Node }>;
  nodes: Array<{ id: string }>;
  pageInfo: {
    hasNextPage: boolean;
    endCursor: string | null;
    hasPreviousPage: boolean;
    startCursor: string | null;
  };
  providers: Array<{
    provider: string;
    searched: boolean;
    code: string | null;
    message: string | null;
  }>;
}

interface Filter {
  providers?: string[];
  states?: string[];
  createdAfter?: string;
  createdBefore?: string;
  workflowId?: string;
}

/** A simulator's members of the list calls. */
function sim(h: Harness, key: string): Simulator & { listCalls: number } {
  return h.sims[key] as Simulator & { listCalls: number };
}

function listCalls(h: Harness): Record<Listing, number> {
  return Object.fromEntries(LISTING.map((key) => [key, sim(h, key).listCalls])) as Record<
    Listing,
    number
  >;
}

/** Execution GETs a simulator received (its execution route with an id). */
function gets(h: Harness, key: string): number {
  return sim(h, key).requests.filter((request) => request.method === 'GET' && request.id !== null)
    .length;
}

async function page(
  h: Harness,
  variables: { filter?: Filter; first?: number; after?: string | null },
  headers = DEMO_HEADERS,
): Promise<GraphQLBody<{ searchExecutions: Page }>> {
  const { body } = await h.query<{ searchExecutions: Page }>(PAGE, variables, headers);
  return body;
}

/** Pages through a search to its end: every node, and each page's list calls per provider. */
async function pageThrough(h: Harness, filter: Filter, first: number, headers = DEMO_HEADERS) {
  const nodes: Node[] = [];
  const calls: Array<Record<Listing, number>> = [];
  let after: string | null = null;
  for (let pages = 0; pages < 100; pages += 1) {
    const before = listCalls(h);
    const body = await page(h, { filter, first, after }, headers);
    expect(body.errors).toBeUndefined();
    const found = body.data!.searchExecutions;
    const now = listCalls(h);
    calls.push(
      Object.fromEntries(LISTING.map((key) => [key, now[key] - before[key]])) as Record<
        Listing,
        number
      >,
    );
    nodes.push(...found.edges.map((edge) => edge.node));
    if (!found.pageInfo.hasNextPage) return { nodes, calls };
    after = found.pageInfo.endCursor;
  }
  throw new Error('The search did not end within 100 pages.');
}

/** Newest first by createdAt, ties by id. */
function inOrder(nodes: readonly Node[]): Node[] {
  return [...nodes].sort((a, b) => {
    const at = Date.parse(b.createdAt!) - Date.parse(a.createdAt!);
    return at !== 0 ? at : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

type RecordLike = Record<string, unknown>;

/**
 * What a search should find, from the simulators' own records (not their list calls): every
 * execution of the three listing providers the demo's customer and folder see, by global id,
 * with its creation time.
 */
function expected(h: Harness): Array<{ id: string; createdAt: number; workflow: string }> {
  const out: Array<{ id: string; createdAt: number; workflow: string }> = [];
  for (const [id, record] of sim(h, 'durable').records) {
    const r = record as RecordLike;
    out.push({
      id: `durable:${id}`,
      createdAt: Date.parse(r.created_at as string),
      workflow: r.workflow_id as string,
    });
  }
  const refold = h.sims.refold as Simulator & { owners: Map<string, string> };
  for (const [id, record] of refold.records) {
    const r = record as RecordLike;
    if (refold.owners.has(id)) continue;
    out.push({ id: `refold:${id}`, createdAt: Date.parse(r.createdAt as string), workflow: '' });
  }
  const serverless = h.sims.serverless as Simulator & {
    folderId: string;
    workflows: Map<string, { folderId: string }>;
  };
  for (const [id, record] of serverless.records) {
    // The simulator stores the GET's answer, `{execution: {...}}`.
    const r = (record as { execution: RecordLike }).execution;
    const workflow = serverless.workflows.get(r.workflowId as string);
    if (workflow?.folderId !== serverless.folderId) continue;
    out.push({
      id: `serverless:${id}`,
      createdAt: Date.parse(r.startedAt as string),
      workflow: r.workflowId as string,
    });
  }
  return out.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe('searchExecutions against the simulators', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.reset();
  });

  it('pages through every execution of the three listing providers once, newest first, ties by id, at most 3 list calls per provider per page', async () => {
    const want = expected(h);
    expect(want.length).toBeGreaterThanOrEqual(180);
    const { nodes, calls } = await pageThrough(h, {}, 25);
    expect(nodes.map((node) => node.id)).toEqual(want.map((execution) => execution.id));
    expect(nodes).toEqual(inOrder(nodes));
    for (const page of calls) {
      expect(page.durable).toBeLessThanOrEqual(3);
      expect(page.refold).toBeLessThanOrEqual(3);
    }
    // Yandex: at most 3 per workflow of the folder per page.
    const workflows = new Set(
      want.filter((e) => e.id.startsWith('serverless:')).map((e) => e.workflow),
    );
    for (const page of calls) expect(page.serverless).toBeLessThanOrEqual(3 * workflows.size);
  });

  it('says per provider whether it was searched: CloudShell and payment have no list call', async () => {
    const body = await page(h, { first: 5 });
    expect(body.errors).toBeUndefined();
    const found = body.data!.searchExecutions;
    expect(found.providers).toEqual([
      {
        provider: 'CLOUDSHELL',
        searched: false,
        code: 'SEARCH_NOT_SUPPORTED',
        message: expect.any(String),
      },
      { provider: 'DURABLE_WORKFLOW', searched: true, code: null, message: null },
      { provider: 'REFOLD', searched: true, code: null, message: null },
      {
        provider: 'PAYMENT_WORKFLOW',
        searched: false,
        code: 'SEARCH_NOT_SUPPORTED',
        message: expect.any(String),
      },
      { provider: 'SERVERLESS_WORKFLOW', searched: true, code: null, message: null },
    ]);
    expect(found.edges).toHaveLength(5);
    expect(found.nodes.map((n) => n.id)).toEqual(found.edges.map((e) => e.node.id));
    expect(found.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(found.pageInfo.startCursor).toBe(found.edges[0]!.cursor);
    expect(found.pageInfo.endCursor).toEqual(expect.any(String));
    expect(found.edges.map((e) => e.node.id)).toEqual(
      expected(h)
        .slice(0, 5)
        .map((e) => e.id),
    );
  });

  it('a page of 50 asking only what list items hold makes one list call per list and no GET', async () => {
    const body = await page(h, {
      first: 50,
      filter: { providers: ['DURABLE_WORKFLOW', 'REFOLD'] },
    });
    expect(body.errors).toBeUndefined();
    expect(body.data!.searchExecutions.edges).toHaveLength(50);
    expect(listCalls(h)).toMatchObject({ durable: 1, refold: 1, serverless: 0 });
    expect(LISTING.map((key) => gets(h, key))).toEqual([0, 0, 0]);
  });

  it('a field a list item lacks loads that execution once, by id, and only for that provider', async () => {
    const query = /* GraphQL */ `
      query ($first: Int) {
        searchExecutions(first: $first) {
          nodes {
            id
            state
            ... on ServerlessWorkflowExecution {
              input
              workflowId
            }
            ... on DurableWorkflowExecution {
              workflowId
              startedAt
            }
            ... on RefoldExecution {
              name
            }
          }
        }
      }
    `;
    const { body } = await h.query(query, { first: 40 });
    expect(body.errors).toBeUndefined();
    const nodes = body.data!.searchExecutions.nodes as Array<{
      id: string;
      workflowId?: string;
      startedAt?: string;
    }>;
    const byProvider = (p: string) => nodes.filter((n) => n.id.startsWith(`${p}:`)).length;
    // Yandex previews lack the input; the engine's runs lack the start; Refold lists whole records.
    expect(gets(h, 'serverless')).toBe(byProvider('serverless'));
    expect(gets(h, 'durable')).toBe(byProvider('durable'));
    expect(gets(h, 'refold')).toBe(0);
    const sample = nodes.find((n) => n.id.startsWith('durable:'))!;
    const direct = await h.query(
      `query ($id: ID!) { execution(id: $id) { ... on DurableWorkflowExecution { workflowId startedAt } } }`,
      { id: sample.id },
    );
    expect(direct.body.data!.execution).toEqual({
      workflowId: sample.workflowId,
      startedAt: sample.startedAt,
    });
  });

  it("a listed whole execution is the request loader's: loading its id later in the request fetches nothing", async () => {
    const executions = new Executions(
      providers,
      loadConfig(simulatorEnv(h.sims), providerSettings),
      createLogger('silent'),
      new Metrics(),
      systemClock,
    );
    try {
      const loaders = executions.forRequest({
        header: (name) => (DEMO_HEADERS as Record<string, string>)[name],
        abort: new Abort(),
        requestId: 'primed',
      });
      const found = await executions.search.page(loaders, {
        first: 40,
        filter: { providers: ['REFOLD', 'DURABLE_WORKFLOW'] },
      });
      const nodes = found.edges.map((e) => e.node);
      const refold = nodes.filter((n) => n.ref.provider.datasource.key === 'refold');
      const durable = nodes.filter((n) => n.ref.provider.datasource.key === 'durable');
      expect(refold.length).toBeGreaterThan(0);
      expect(durable.length).toBeGreaterThan(0);
      for (const node of refold) expect(await loaders.load(node.ref.id)).toBe(node);
      expect(gets(h, 'refold')).toBe(0);
      // A run of the engine's list is not its whole record: loading it asks the engine, once.
      const [run] = durable;
      const whole = await loaders.load(run!.ref.id);
      expect(whole).not.toBe(run);
      expect(whole.listed).toBeFalsy();
      await loaders.load(run!.ref.id);
      expect(gets(h, 'durable')).toBe(1);
    } finally {
      await executions.close();
    }
  });

  it('keeps whole records of finished executions in the cache: a later request reads one without a GET', async () => {
    const body = await page(h, {
      first: 30,
      filter: { providers: ['REFOLD'], states: ['SUCCEEDED'] },
    });
    const id = body.data!.searchExecutions.edges[0]!.node.id;
    const before = gets(h, 'refold');
    const { body: again } = await h.query(`query ($id: ID!) { execution(id: $id) { id state } }`, {
      id,
    });
    expect(again.data!.execution).toEqual({ id, state: 'SUCCEEDED' });
    expect(gets(h, 'refold')).toBe(before);
  });

  it('filters by state: pushed down where the provider takes it (Refold, Yandex), applied here for the engine', async () => {
    const { nodes } = await pageThrough(h, { states: ['FAILED'] }, 50);
    const want = new Set<string>();
    for (const { id } of expected(h)) want.add(id);
    expect(nodes.length).toBeGreaterThan(5);
    expect(new Set(nodes.map((n) => n.state))).toEqual(new Set(['FAILED']));
    for (const node of nodes) expect(want.has(node.id)).toBe(true);
    expect(new Set(nodes.map((n) => n.id.split(':')[0]))).toEqual(new Set(LISTING));
    expect(nodes).toEqual(inOrder(nodes));
    const urls = (key: string) => sim(h, key).requests.map((r) => decodeURIComponent(r.url));
    // Refold's FAILED is three statuses (ERRORED, FAILED, TIMED_OUT): it lists all and filters here.
    expect(urls('refold').some((u) => u.includes('status='))).toBe(false);
    expect(urls('serverless').some((u) => u.includes('status="FAILED"'))).toBe(true);
    expect(urls('durable').some((u) => u.includes('status'))).toBe(false);
  });

  it('filters by a single Refold status in its own list call', async () => {
    const { nodes } = await pageThrough(h, { providers: ['REFOLD'], states: ['STOPPING'] }, 20);
    expect(nodes.every((n) => n.state === 'STOPPING')).toBe(true);
    expect(sim(h, 'refold').requests.some((r) => r.url.includes('status=STOPPING'))).toBe(true);
  });

  it('filters by creation time and workflow, each list call given what its provider takes', async () => {
    const all = expected(h);
    const after = new Date(all[Math.floor(all.length * 0.7)]!.createdAt).toISOString();
    const before = new Date(all[Math.floor(all.length * 0.2)]!.createdAt).toISOString();
    const { nodes } = await pageThrough(h, { createdAfter: after, createdBefore: before }, 30);
    const want = all.filter(
      (e) => e.createdAt >= Date.parse(after) && e.createdAt < Date.parse(before),
    );
    expect(nodes.map((n) => n.id)).toEqual(want.map((e) => e.id));
    expect(
      sim(h, 'durable').requests.some(
        (r) => r.url.includes('start_time=') && r.url.includes('end_time='),
      ),
    ).toBe(true);
    expect(
      sim(h, 'serverless').requests.some((r) => decodeURIComponent(r.url).includes('started_at>')),
    ).toBe(true);

    h.reset();
    const workflow = all.find((e) => e.id.startsWith('durable:'))!.workflow;
    const { nodes: ofWorkflow } = await pageThrough(h, { workflowId: workflow }, 30);
    const wanted = all.filter(
      (e) => e.workflow === workflow || (e.id.startsWith('refold:') && false),
    );
    expect(ofWorkflow.map((n) => n.id)).toEqual(wanted.map((e) => e.id));
    expect(
      sim(h, 'durable').requests.some((r) =>
        r.url.includes(`workflow_id=${encodeURIComponent(workflow)}`),
      ),
    ).toBe(true);
  });

  it('leaves out executions created after the first page was asked for, and repeats none', async () => {
    const first = await page(h, { first: 10, filter: { providers: ['DURABLE_WORKFLOW'] } });
    const seen = first.data!.searchExecutions.edges.map((e) => e.node.id);
    sim(h, 'durable').records.set('wf_brand_new', {
      ...(sim(h, 'durable').records.get('wf_root_1') as object),
      id: 'wf_brand_new',
      created_at: new Date().toISOString(),
    });
    let after = first.data!.searchExecutions.pageInfo.endCursor;
    while (after) {
      const next = await page(h, { first: 30, after, filter: { providers: ['DURABLE_WORKFLOW'] } });
      seen.push(...next.data!.searchExecutions.edges.map((e) => e.node.id));
      after = next.data!.searchExecutions.pageInfo.hasNextPage
        ? next.data!.searchExecutions.pageInfo.endCursor
        : null;
    }
    expect(seen).not.toContain('durable:wf_brand_new');
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(sim(h, 'durable').records.size - 1);
    // A new search sees it first.
    const fresh = await page(h, { first: 1, filter: { providers: ['DURABLE_WORKFLOW'] } });
    expect(fresh.data!.searchExecutions.edges[0]!.node.id).toBe('durable:wf_brand_new');
  });

  it('a provider failing mid-paging: a partial page with its error, then nothing skipped when it recovers', async () => {
    const filter = { providers: ['DURABLE_WORKFLOW', 'REFOLD'] };
    const want = expected(h)
      .filter((e) => !e.id.startsWith('serverless:'))
      .map((e) => e.id);
    const first = await page(h, { first: 20, filter });
    const seen = first.data!.searchExecutions.edges.map((e) => e.node.id);
    sim(h, 'durable').inject({ kind: 'status', status: 500 }, { on: 'list', times: 1 });
    const broken = await page(h, {
      first: 20,
      filter,
      after: first.data!.searchExecutions.pageInfo.endCursor,
    });
    expect(broken.errors).toHaveLength(1);
    expect(broken.errors![0]!.extensions).toMatchObject({
      code: 'UPSTREAM_ERROR',
      provider: 'DURABLE_WORKFLOW',
    });
    expect(broken.errors![0]!.path).toEqual(['searchExecutions']);
    const partial = broken.data!.searchExecutions;
    expect(partial.providers.find((p) => p.provider === 'DURABLE_WORKFLOW')).toMatchObject({
      searched: false,
      code: 'UPSTREAM_ERROR',
    });
    expect(partial.edges.length).toBeGreaterThan(0);
    expect(partial.edges.every((e) => e.node.id.startsWith('refold:'))).toBe(true);
    expect(partial.pageInfo.hasNextPage).toBe(true);
    seen.push(...partial.edges.map((e) => e.node.id));
    let after = partial.pageInfo.endCursor;
    while (after) {
      const next = await page(h, { first: 20, filter, after });
      expect(next.errors).toBeUndefined();
      seen.push(...next.data!.searchExecutions.edges.map((e) => e.node.id));
      after = next.data!.searchExecutions.pageInfo.hasNextPage
        ? next.data!.searchExecutions.pageInfo.endCursor
        : null;
    }
    expect([...seen].sort()).toEqual([...want].sort());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it("reports a failed provider's error on every route: Apollo Server's (a GET) as the fast one", async () => {
    sim(h, 'durable').inject({ kind: 'status', status: 500 }, { on: 'list', times: 1 });
    const query =
      '{ searchExecutions(first: 3) { nodes { id } providers { provider searched code } } }';
    const response = await fetch(`${h.app.url}/graphql?query=${encodeURIComponent(query)}`, {
      headers: { ...DEMO_HEADERS, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as GraphQLBody<{ searchExecutions: Page }>;
    expect(body.errors).toEqual([
      expect.objectContaining({
        path: ['searchExecutions'],
        extensions: expect.objectContaining({
          code: 'UPSTREAM_ERROR',
          provider: 'DURABLE_WORKFLOW',
        }),
      }),
    ]);
    expect(body.data!.searchExecutions.nodes).toHaveLength(3);
    expect(body.data!.searchExecutions.providers).toContainEqual({
      provider: 'DURABLE_WORKFLOW',
      searched: false,
      code: 'UPSTREAM_ERROR',
    });
  });

  it('Refold lists per linked account: two customers see two lists and share no cache entry', async () => {
    const other = { ...DEMO_HEADERS, 'x-refold-linked-account-id': REFOLD_SECOND_LINKED_ACCOUNT };
    const mine = await pageThrough(h, { providers: ['REFOLD'] }, 50);
    const theirs = await pageThrough(h, { providers: ['REFOLD'] }, 50, other);
    expect(mine.nodes.length).toBeGreaterThanOrEqual(60);
    expect(theirs.nodes.length).toBeGreaterThanOrEqual(10);
    const mineIds = new Set(mine.nodes.map((n) => n.id));
    expect(theirs.nodes.some((n) => mineIds.has(n.id))).toBe(false);
    // The second customer's finished executions were cached for that customer only.
    const finished = theirs.nodes.find((n) =>
      ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(n.state),
    )!;
    const before = gets(h, 'refold');
    const asMe = await h.query(`query ($id: ID!) { execution(id: $id) { id } }`, {
      id: finished.id,
    });
    expect(asMe.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(gets(h, 'refold')).toBe(before + 1);
    // A cursor of one customer is not another's.
    const cursor = (await page(h, { first: 5, filter: { providers: ['REFOLD'] } })).data!
      .searchExecutions.pageInfo.endCursor;
    const foreign = await page(
      h,
      { first: 5, after: cursor, filter: { providers: ['REFOLD'] } },
      other,
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      argument: 'after',
    });
  });

  it('without the Refold customer header Refold is not searched, with one error, and the others are', async () => {
    const { 'x-refold-linked-account-id': _, ...noCustomer } = DEMO_HEADERS as Record<
      string,
      string
    >;
    const body = await page(h, { first: 10 }, noCustomer);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    const found = body.data!.searchExecutions;
    expect(found.providers.find((p) => p.provider === 'REFOLD')).toMatchObject({
      searched: false,
      code: 'BAD_USER_INPUT',
    });
    expect(found.edges.length).toBe(10);
    expect(found.edges.some((e) => e.node.id.startsWith('refold:'))).toBe(false);
    expect(sim(h, 'refold').listCalls).toBe(0);
  });
});

describe('searchExecutions: Yandex lists per workflow', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.close();
  });

  it('is FILTER_REQUIRED without a workflow or folder, naming both, and searched with a workflow', async () => {
    h = await startHarness({ SERVERLESS_WORKFLOW_FOLDER_ID: '' });
    const body = await page(h, { first: 5, filter: { providers: ['SERVERLESS_WORKFLOW'] } });
    expect(body.errors).toBeUndefined();
    const found = body.data!.searchExecutions;
    expect(found.providers).toEqual([
      {
        provider: 'SERVERLESS_WORKFLOW',
        searched: false,
        code: 'FILTER_REQUIRED',
        message: expect.stringMatching(/workflowId[\s\S]*SERVERLESS_WORKFLOW_FOLDER_ID/),
      },
    ]);
    expect(found.edges).toEqual([]);
    expect(found.pageInfo.hasNextPage).toBe(false);
    expect(sim(h, 'serverless').listCalls).toBe(0);

    const serverless = h.sims.serverless as Simulator & { workflows: Map<string, unknown> };
    const workflow = [...serverless.workflows.keys()][0]!;
    const { nodes } = await pageThrough(
      h,
      { providers: ['SERVERLESS_WORKFLOW'], workflowId: workflow },
      20,
    );
    expect(nodes.length).toBeGreaterThan(5);
    const ids = [...serverless.records.values()]
      .map((r) => (r as { execution: RecordLike }).execution)
      .filter((r) => r.workflowId === workflow)
      .map((r) => `serverless:${r.id as string}`);
    expect(nodes.map((n) => n.id).sort()).toEqual(ids.sort());
    await h.close();
  });

  it("lists the folder's workflows concurrently, at most SEARCH_MAX_WORKFLOWS, and keeps the folder for a minute", async () => {
    h = await startHarness({ SEARCH_MAX_WORKFLOWS: '20' });
    const serverless = h.sims.serverless as Simulator & {
      listCalls: number;
      workflowListCalls: number;
      addWorkflows(count: number, each?: number): string[];
    };
    serverless.addWorkflows(25, 1);
    // Slow enough that calls made together are seen in flight together.
    serverless.latencyMs = 100;
    const body = await page(h, { first: 5, filter: { providers: ['SERVERLESS_WORKFLOW'] } });
    expect(body.errors).toBeUndefined();
    const report = body.data!.searchExecutions.providers[0]!;
    expect(report).toMatchObject({ provider: 'SERVERLESS_WORKFLOW', searched: true, code: null });
    expect(report.message).toMatch(/SEARCH_MAX_WORKFLOWS/);
    const listed = new Set(
      serverless.requests
        .filter((r) => r.url.startsWith('/workflows/v1/execution?'))
        .map((r) => new URL(r.url, 'http://x').searchParams.get('workflowId')),
    );
    expect(listed.size).toBe(20);
    expect(serverless.listCalls).toBe(20);
    // All twenty at once: the most in flight at one time.
    expect(serverless.maxInFlight).toBeGreaterThanOrEqual(20);
    serverless.latencyMs = 0;
    const lookups = serverless.workflowListCalls;
    expect(lookups).toBeGreaterThanOrEqual(1);
    await page(h, { first: 5, filter: { providers: ['SERVERLESS_WORKFLOW'] } });
    expect(serverless.workflowListCalls).toBe(lookups);
    await h.close();
  });
});

describe('searchExecutions: bad input is BAD_USER_INPUT naming the argument, with no upstream call', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ MAX_PAGE_SIZE: '100', MAX_IDS_PER_REQUEST: '150' });
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => h.reset());

  async function refused(variables: Record<string, unknown>, argument: string | undefined) {
    const body = await page(h, variables);
    expect(body.errors).toHaveLength(1);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    if (argument) {
      expect(body.errors![0]!.extensions!.argument).toBe(argument);
      expect(body.errors![0]!.message).toContain(argument);
    }
    expect(listCalls(h)).toEqual({ durable: 0, refold: 0, serverless: 0 });
    return body;
  }

  it('first 0, negative or above MAX_PAGE_SIZE', async () => {
    await refused({ first: 0 }, 'first');
    await refused({ first: -3 }, 'first');
    await refused({ first: 101 }, 'first');
  });

  it('createdAfter after createdBefore', async () => {
    await refused(
      { filter: { createdAfter: '2026-11-20T00:00:00Z', createdBefore: '2026-11-10T00:00:00Z' } },
      'filter',
    );
  });

  it('an unknown provider', async () => {
    const body = await page(h, { filter: { providers: ['NOPE'] } });
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(body.errors![0]!.message).toMatch(/filter/);
    expect(listCalls(h)).toEqual({ durable: 0, refold: 0, serverless: 0 });
  });

  it('a cursor that is malformed, changed, from another filter or signed by another key', async () => {
    const first = await page(h, { first: 5 });
    const cursor = first.data!.searchExecutions.pageInfo.endCursor!;
    h.reset();
    await refused({ first: 5, after: 'not-a-cursor' }, 'after');
    await refused({ first: 5, after: `${cursor}x` }, 'after');
    // One byte changed anywhere: the cursor does not open.
    const bytes = Buffer.from(cursor, 'base64url');
    bytes[Math.floor(bytes.length / 2)]! ^= 1;
    await refused({ first: 5, after: bytes.toString('base64url') }, 'after');
    // Nothing of a provider shows in it: no id, no position, no token.
    const text = Buffer.from(cursor, 'base64url').toString('latin1');
    for (const word of ['durable', 'refold', 'serverless', 'wf_', '"p"']) {
      expect(text).not.toContain(word);
    }
    await refused({ first: 5, after: cursor, filter: { states: ['FAILED'] } }, 'after');
    const other = await startHarness({ CURSOR_SECRET: 'another-key' });
    try {
      const body = await page(other, { first: 5, after: cursor });
      expect(body.errors![0]!.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
      });
      expect(listCalls(other)).toEqual({ durable: 0, refold: 0, serverless: 0 });
    } finally {
      await other.close();
    }
  });

  it('first counts toward MAX_IDS_PER_REQUEST', async () => {
    const { status, body } = await h.query(
      `{ a: searchExecutions(first: 100) { nodes { id } } b: searchExecutions(first: 51) { nodes { id } } }`,
    );
    expect(status).toBe(400);
    expect(body.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 150 });
    expect(listCalls(h)).toEqual({ durable: 0, refold: 0, serverless: 0 });
  });
});

describe('searchExecutions: cursors signed with CURSOR_SECRET outlive the process', () => {
  it('a cursor of one server continues on another with the same secret, and not on one without', async () => {
    const one = await startHarness({ CURSOR_SECRET: 'shared-secret' });
    const env = { ...simulatorEnv(one.sims), PORT: '0', HOST: '127.0.0.1' };
    const two = await startApp(
      loadConfig({ ...env, CURSOR_SECRET: 'shared-secret' }, providerSettings),
      createLogger('silent'),
      { registry: providers },
    );
    const three = await startApp(loadConfig(env, providerSettings), createLogger('silent'), {
      registry: providers,
    });
    const ask = async (url: string, after: string) => {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
        body: JSON.stringify({ query: PAGE, variables: { first: 10, after } }),
      });
      return (await response.json()) as GraphQLBody<{ searchExecutions: Page }>;
    };
    try {
      const body = await page(one, { first: 10 });
      const cursor = body.data!.searchExecutions.pageInfo.endCursor!;
      const firstIds = body.data!.searchExecutions.edges.map((e) => e.node.id);
      const next = await ask(two.url, cursor);
      expect(next.errors).toBeUndefined();
      const ids = next.data!.searchExecutions.edges.map((e) => e.node.id);
      expect(ids.some((id) => firstIds.includes(id))).toBe(false);
      expect(ids).toEqual(
        expected(one)
          .slice(10, 20)
          .map((e) => e.id),
      );
      const refused = await ask(three.url, cursor);
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        argument: 'after',
      });
    } finally {
      await two.close();
      await three.close();
      await one.close();
    }
  });
});
