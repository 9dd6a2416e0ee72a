import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { exampleQuery } from '../../src/http/graphiql.js';
import { startApp, type App } from '../../src/http/server.js';
import { providers, providerSettings } from '../../src/providers.js';
import { simulatorOf } from '../../src/simulators/index.js';
import { refoldSimulator } from '../../src/simulators/refold.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { minimalRecord, startHarness, type Harness } from '../harness.js';

const DEMO_HEADERS = await demoHeaders();

/** Seeded executions of every provider, finished and not, as the schema maps them. */
interface Seeded {
  finished: string[];
  running: string[];
}

let h: Harness;
let seeded: Seeded;

beforeAll(async () => {
  h = await startHarness({ MUTATIONS: 'true' });
  const ids = providers.flatMap(({ datasource: { key } }) =>
    h.sims[key]!.seeded.map(({ id }) => `${key}:${id}`),
  );
  const { body } = await h.query<{ executions: Array<{ id: string; isTerminal: boolean }> }>(
    'query ($ids: [ID!]!) { executions(ids: $ids) { id isTerminal } }',
    { ids },
  );
  const executions = body.data!.executions;
  seeded = {
    finished: executions.filter((e) => e.isTerminal).map((e) => e.id),
    running: executions.filter((e) => !e.isTerminal).map((e) => e.id),
  };
});
afterAll(() => h.close());
beforeEach(() => h.reset());

/** Execution GETs every simulator received. */
const upstreamCalls = () =>
  Object.values(h.sims).reduce(
    (sum, sim) => sum + sim.requests.filter((request) => request.id !== null).length,
    0,
  );

/** One finished seeded execution of each provider. */
function finishedOfEach(): string[] {
  return providers.flatMap(({ datasource: { key } }) =>
    seeded.finished.filter((id) => id.startsWith(`${key}:`)).slice(0, 1),
  );
}

async function post(app: App, query: string, variables: Record<string, unknown> = {}) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...DEMO_HEADERS },
    body: JSON.stringify({ query, variables }),
  });
  return { cacheControl: response.headers.get('cache-control'), body: await response.text() };
}

describe('finished executions', () => {
  it('answer from the cache field for field as fresh ones, for every provider, with no upstream call', async () => {
    const ids = finishedOfEach();
    expect(ids).toHaveLength(providers.length);
    const query = exampleQuery(providers, ids);
    const fresh = await post(h.app, query);
    const first = upstreamCalls();
    // A finished execution's parent may still run: that one is asked for again.
    const running = JSON.parse(fresh.body).data.executions.filter(
      (execution: { parentExecution?: { state: string } | null }) =>
        execution.parentExecution &&
        !['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(execution.parentExecution.state),
    ).length;
    const cached = await post(h.app, query);
    expect(upstreamCalls() - first).toBe(running);
    expect(cached.body).toBe(fresh.body);
    expect(JSON.parse(cached.body).errors).toBeUndefined();
    const lines = h.logs.filter((line) => line.msg === 'graphql request');
    expect(
      lines.map(({ upstreamCalls, cachedExecutions }) => [upstreamCalls, cachedExecutions]),
    ).toEqual([
      [first, 0],
      [running, ids.length],
    ]);
  });

  it('are reached through parent links and entity references too', async () => {
    // wf_child_1a is finished; its parent wf_root_1 is not.
    await h.query('{ execution(id: "durable:wf_child_1a") { id } }');
    h.sims.durable!.requests.length = 0;
    await h.query(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on DurableWorkflowExecution { id } }
        execution(id: "durable:wf_child_1b") { ... on DurableWorkflowExecution { parentExecution { id } } } }`,
      { r: [{ __typename: 'DurableWorkflowExecution', id: 'durable:wf_child_1a' }] },
    );
    expect(h.sims.durable!.requests.map(({ id }) => id).sort()).toEqual([
      'wf_child_1b',
      'wf_root_1',
    ]);
  });

  it('in a mixed list cost exactly one upstream call per running or unseen execution', async () => {
    const finished = seeded.finished.slice(0, 6);
    await h.query('query ($ids: [ID!]!) { executions(ids: $ids) { id } }', { ids: finished });
    const before = upstreamCalls();
    const running = seeded.running.slice(0, 4);
    const unseen = seeded.finished.slice(6, 9);
    await h.query('query ($ids: [ID!]!) { executions(ids: $ids) { id } }', {
      ids: [...finished, ...running, ...unseen],
    });
    expect(upstreamCalls() - before).toBe(running.length + unseen.length);
  });

  it('are never kept while running: each query asks the provider', async () => {
    const id = seeded.running[0]!;
    await h.query('query ($id: ID!) { execution(id: $id) { id } }', { id });
    await h.query('query ($id: ID!) { execution(id: $id) { id } }', { id });
    expect(upstreamCalls()).toBe(2);
  });

  it('are kept apart per Refold customer: two accounts, two upstream calls, two entries', async () => {
    const id = seeded.finished.find((each) => each.startsWith('refold:'))!;
    simulatorOf(h.sims, refoldSimulator).shared.add(id.slice('refold:'.length));
    const query = 'query ($id: ID!) { execution(id: $id) { id } }';
    for (const account of ['demo-customer', 'another-customer', 'demo-customer']) {
      const { body } = await h.query(query, { id }, { 'x-refold-linked-account-id': account });
      expect(body.errors).toBeUndefined();
    }
    expect(upstreamCalls()).toBe(2);
    expect(h.app.cache!.status().memory.entries).toBe(2);
  });

  it('count as hits and misses by tier in /metrics', async () => {
    const [id] = finishedOfEach();
    await h.query('query ($id: ID!) { execution(id: $id) { id } }', { id });
    await h.query('query ($id: ID!) { execution(id: $id) { id } }', { id });
    const text = await (await fetch(`${h.app.url}/metrics`)).text();
    expect(text).toMatch(
      /^execution_cache_lookups_total\{tier="memory",provider="CLOUDSHELL",result="hit"\} [1-9]/m,
    );
    expect(text).toMatch(/^execution_cache_entries [1-9]/m);
  });
});

describe('Cache-Control', () => {
  let apolloOnly: App;
  beforeAll(async () => {
    const config = loadConfig(
      {
        ...simulatorEnv(h.sims),
        PORT: '0',
        HOST: '127.0.0.1',
        MUTATIONS: 'true',
      },
      providerSettings,
    );
    apolloOnly = await startApp(config, createLogger('silent'), {
      registry: providers,
      fastRoute: false,
    });
  });
  afterAll(() => apolloOnly.close());

  const query = 'query ($ids: [ID!]!) { executions(ids: $ids) { id } }';
  const refold = () => seeded.finished.find((id) => id.startsWith('refold:'))!;
  const others = () => seeded.finished.filter((id) => !id.startsWith('refold:')).slice(0, 3);
  const cases: Array<[string, () => [string, Record<string, unknown>], string]> = [
    ['finished executions', () => [query, { ids: others() }], 'max-age=3600, public'],
    [
      'a running one among them',
      () => [query, { ids: [...others(), seeded.running[0]] }],
      'no-store',
    ],
    [
      'a Refold execution',
      () => [query, { ids: [...others(), refold()] }],
      'max-age=3600, private',
    ],
    ['an error', () => [query, { ids: [...others(), 'durable:missing'] }], 'no-store'],
    ['no execution at all', () => ['{ __typename }', {}], 'no-store'],
    [
      'a mutation',
      () => ['mutation ($id: ID!) { stopExecution(id: $id) { id } }', { id: others()[0] }],
      'no-store',
    ],
  ];

  it.each(cases)('for %s is the same on both routes', async (_, request, expected) => {
    const [text, variables] = request();
    for (const app of [h.app, apolloOnly]) {
      // Twice: the first answer fetches, the second may come from the cache.
      await post(app, text, variables);
      expect((await post(app, text, variables)).cacheControl).toBe(expected);
    }
  });
});

describe('CACHE_TTL_SECONDS=0', () => {
  it('sends every query to the provider and says no-store', async () => {
    const off = await startHarness({ CACHE_TTL_SECONDS: '0' });
    try {
      const id = `durable:${'wf_report_9'}`;
      off.sims.durable!.records.set(
        'wf_report_9',
        minimalRecord('durable', 'wf_report_9', 'completed'),
      );
      for (let i = 0; i < 3; i++) {
        const answer = await post(off.app, 'query ($id: ID!) { execution(id: $id) { id } }', {
          id,
        });
        expect(answer.cacheControl).toBe('no-store');
      }
      expect(off.sims.durable!.requests).toHaveLength(3);
      expect(off.app.cache).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
