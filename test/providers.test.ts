import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isEnumType } from 'graphql';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { demoAppOptions, startDemoProviders, type DemoProviders } from '../src/demo.js';
import { buildSchema, printSchema } from '../src/graphql/schema.js';
import { startApp, type App } from '../src/http/server.js';
import { provider, providers, type RegisteredProvider, settingsOf } from '../src/providers.js';
import { createLogger } from '../src/telemetry/logger.js';
import { batchJobs } from './fixtures/batch/datasource.js';
import { BatchJobExecution } from './fixtures/batch/resolvers.js';
import { batchJobsSimulator } from './fixtures/batch/simulator.js';

const BATCH_SCHEMA = new URL('./fixtures/batch/schema.graphql', import.meta.url);

// A throwaway sixth provider: its files under test/fixtures/batch/, and this one line.
const registry = [
  ...providers,
  provider(batchJobs, BatchJobExecution, async () => batchJobsSimulator, BATCH_SCHEMA),
];

let demo: DemoProviders;
let app: App;

beforeAll(async () => {
  demo = await startDemoProviders(registry);
  const config = loadConfig({ ...demo.env, PORT: '0', HOST: '127.0.0.1' }, settingsOf(registry));
  app = await startApp(config, createLogger('silent'), demoAppOptions(demo));
});
afterAll(async () => {
  await app?.close();
  await demo?.close();
});

async function query(body: { query: string; variables?: Record<string, unknown> }) {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...demo.headers },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: any; errors?: Array<Record<string, any>> };
}

describe('a provider registered with one line', () => {
  it('is in the schema, with its ExecutionProvider value', () => {
    const values = buildSchema(registry).getType('ExecutionProvider');
    assert(isEnumType(values));
    expect(values.getValue('BATCH_JOBS')?.description).toBe('The throwaway batch provider.');
    expect(printSchema(registry)).toContain('type BatchJobExecution implements Execution');
  });

  it('has its simulator started by the demo, and its fields in the GraphiQL example', () => {
    expect(demo.sampleIds.batch).toEqual(['batch:job-1', 'batch:job-2']);
    expect(demo.env).toMatchObject({ BATCH_JOBS_TOKEN: 'demo-batch-token' });
    expect(demoAppOptions(demo).graphiql?.query).toContain('... on BatchJobExecution { progress }');
  });

  it('resolves its ids through the loaders, once per distinct id, beside the other providers', async () => {
    const simulator = demo.simulators.batch!;
    simulator.requests.length = 0;
    const answer = await query({
      query: `query ($ids: [ID!]!) { executions(ids: $ids) {
        __typename id nativeId provider state isTerminal startedAt durationSeconds
        ... on BatchJobExecution { progress }
      } }`,
      variables: { ids: ['batch:job-1', 'batch:job-2', 'batch:job-1', demo.sampleIds.durable![0]] },
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data.executions.slice(0, 3)).toEqual([
      expect.objectContaining({
        __typename: 'BatchJobExecution',
        id: 'batch:job-1',
        nativeId: 'job-1',
        provider: 'BATCH_JOBS',
        state: 'RUNNING',
        isTerminal: false,
        startedAt: '2026-11-20T10:00:00.000Z',
        durationSeconds: null,
        progress: 0.25,
      }),
      expect.objectContaining({ id: 'batch:job-2', state: 'SUCCEEDED', isTerminal: true }),
      expect.objectContaining({ id: 'batch:job-1' }),
    ]);
    expect(answer.data.executions[3]).toMatchObject({ id: demo.sampleIds.durable![0] });
    expect(simulator.requests.map(({ id }) => id).sort()).toEqual(['job-1', 'job-2']);
  });

  it('is in the search without a list call: not searched, SEARCH_NOT_SUPPORTED, and the others are', async () => {
    demo.simulators.batch!.requests.length = 0;
    const answer = await query({
      query: `{ searchExecutions(first: 5) {
        nodes { id }
        providers { provider searched code }
      } }`,
    });
    expect(answer.errors).toBeUndefined();
    const { providers: searched, nodes } = answer.data.searchExecutions;
    expect(searched).toContainEqual({
      provider: 'BATCH_JOBS',
      searched: false,
      code: 'SEARCH_NOT_SUPPORTED',
    });
    expect(searched.filter((p: { searched: boolean }) => p.searched)).toHaveLength(3);
    expect(nodes).toHaveLength(5);
    expect(demo.simulators.batch!.requests).toEqual([]);
  });

  it('resolves entity references by its type and by the interface', async () => {
    const answer = await query({
      query: `query ($representations: [_Any!]!) { _entities(representations: $representations) {
        ... on BatchJobExecution { id progress }
      } }`,
      variables: {
        representations: [
          { __typename: 'BatchJobExecution', id: 'batch:job-2' },
          { __typename: 'Execution', id: 'batch:job-1' },
          { __typename: 'BatchJobExecution', id: demo.sampleIds.durable![0] },
        ],
      },
    });
    expect(answer.data._entities.slice(0, 2)).toEqual([
      { id: 'batch:job-2', progress: 1 },
      { id: 'batch:job-1', progress: 0.25 },
    ]);
    expect(answer.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    ]);
  });

  it('maps its upstream failures to the API error codes', async () => {
    const simulator = demo.simulators.batch!;
    // job-1 is running, so never taken from the cache.
    simulator.inject({ kind: 'wrongShape' }, { id: 'job-1' });
    const answer = await query({
      query: '{ a: execution(id: "batch:nope") { id } b: execution(id: "batch:job-1") { id } }',
    });
    expect(answer.data).toEqual({ a: null, b: null });
    expect(answer.errors?.map(({ path, extensions }) => [path, extensions])).toEqual([
      [['a'], expect.objectContaining({ code: 'NOT_FOUND', provider: 'BATCH_JOBS' })],
      [['b'], expect.objectContaining({ code: 'UPSTREAM_ERROR', provider: 'BATCH_JOBS' })],
    ]);
  });

  it('is configured through its own variables', () => {
    expect(() =>
      loadConfig({ BATCH_JOBS_URL: 'http://127.0.0.1:1' }, settingsOf(registry)),
    ).toThrow('BATCH_JOBS_URL is set but BATCH_JOBS_TOKEN is not set.');
  });
});

describe('the registry and the schema agree', () => {
  it('refuses to start when a provider schema file lacks its ExecutionProvider value', async () => {
    // The fixture's schema file with its `extend enum ExecutionProvider { … }` taken out.
    const schema = join(mkdtempSync(join(tmpdir(), 'batch-')), 'schema-without-enum-value.graphql');
    const text = readFileSync(BATCH_SCHEMA, 'utf8');
    writeFileSync(schema, text.slice(0, text.indexOf('extend enum ExecutionProvider')));
    const withoutValue = [
      ...providers,
      provider(batchJobs, BatchJobExecution, async () => batchJobsSimulator, pathToFileURL(schema)),
    ];
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1' }, settingsOf(withoutValue));
    await expect(
      startApp(config, createLogger('silent'), { registry: withoutValue }),
    ).rejects.toThrow(
      /^Provider "batch": the ExecutionProvider enum has no value BATCH_JOBS; add "extend enum ExecutionProvider \{ BATCH_JOBS \}" to .*schema-without-enum-value\.graphql\.$/,
    );
  });

  it('leaves every source file outside a provider own files free of its names', () => {
    const ROOT = new URL('../', import.meta.url);
    const shared = ['src/', 'schema/']
      .flatMap((dir) =>
        readdirSync(new URL(dir, ROOT), { recursive: true, encoding: 'utf8' }).map(
          (file) => dir + file,
        ),
      )
      .filter((file) => /\.(ts|graphql)$/.test(file) && !file.startsWith('src/__generated__/'));
    const ownFiles = (p: RegisteredProvider) => [
      `src/datasources/${p.datasource.key}.ts`,
      `src/resolvers/${p.type.typename}.ts`,
      `src/simulators/${p.datasource.key}.ts`,
      `schema/${p.datasource.key}.graphql`,
      'src/providers.ts',
    ];
    const mentions = providers.flatMap((p) => {
      const names = new RegExp(
        `\\b(${p.type.typename}|${p.datasource.name}|${p.datasource.env}_\\w+)\\b|['"\`]${p.datasource.key}[:'"\`]`,
      );
      return shared
        .filter((file) => !ownFiles(p).includes(file))
        .filter((file) => names.test(readFileSync(new URL(file, ROOT), 'utf8')))
        .map((file) => `${file} names ${p.datasource.key}`);
    });
    expect(mentions).toEqual([]);
  });
});
