import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { createClient, type Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { simulatorEnv, startSimulators } from '../../src/demo.js';
import { closeAll, type SimulatorSet } from '../../src/simulators/index.js';
import type { Measured, MeasuredMessage } from '../support/measured-subgraph.js';

/**
 * The acceptance point of the document cache (docs/transports.md): 5,000 distinct queries of
 * about 6 KB each, over HTTP (both routes) and WebSocket together, grow the subgraph's heap after
 * a full collection by at most 40 MiB and its RSS by at most 120 MiB with `DOCUMENT_CACHE_MB=32`.
 * The subgraph runs in a process of its own (test/support/measured-subgraph.ts, with
 * `--expose-gc`), so nothing of the test's own (the simulators, the clients, the answers) is
 * counted; it measures itself when asked.
 *
 * RSS is read after V8's memory-reducing collection: after a plain one V8 keeps the pages it
 * freed, the high-water mark of the garbage of 5,000 parses (some 70 MiB of RSS even with
 * `DOCUMENT_CACHE_MB=1`), until it gives them back by itself once the process is idle.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;

const QUERIES = 5000;
const QUERY_CHARS = 6000;
const FAILING = 1000;
const DOCUMENT_CACHE_MB = 32;
const MAX_HEAP_GROWTH = 40 * MiB;
const MAX_RSS_GROWTH = 120 * MiB;

// The environment without any provider configuration of the machine running the tests.
const BASE_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([name]) => !/_(URL|TOKEN|API_KEY|PASSWORD)$/.test(name) && !name.startsWith('OTEL_'),
  ),
);

/** Fields of a durable execution the queries ask for, each many times under distinct aliases. */
const FIELDS = ['isTerminal', 'state', 'workflowId', 'retryCount', 'queueName', 'canStop'];

/**
 * Query `i`: about 6 KB, distinct by its operation name, written as a client writes one (one
 * aliased field a line, indented), some 180 aliases and 550 tokens.
 */
function query(i: number): string {
  let text = `query Q${i}($id: ID!) {\n  execution(id: $id) {\n    id\n    ... on DurableWorkflowExecution {\n`;
  for (let j = 0; text.length < QUERY_CHARS - 60; j++) {
    const field = FIELDS[j % FIELDS.length]!;
    text += `      step${String(j).padStart(3, '0')}_${field}: ${field}\n`;
  }
  return `${text}    }\n  }\n}\n`;
}

/**
 * Query `i`, which fails validation with as many errors as graphql-js reports (100, then
 * "Validation aborted"): 150 unknown fields in some 350 characters.
 */
function failing(i: number): string {
  return `query F${i}($id: ID!) { execution(id: $id) { id }${' a'.repeat(150)} }`;
}

/** A small query, for the warm-up. */
function small(i: number): string {
  return `query W${i}($id: ID!) { execution(id: $id) { id ... on DurableWorkflowExecution { step000_isTerminal: isTerminal } } }`;
}

interface Answer {
  data?: { execution?: { id?: string; step000_isTerminal?: boolean } | null } | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** Runs `task(0)` to `task(count - 1)`, at most `concurrency` at a time. */
async function pool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

describe('parsed documents in memory', () => {
  let sims: SimulatorSet;
  let child: ChildProcess;
  let url: string;
  let id: string;
  const clients: Client[] = [];
  const messages: MeasuredMessage[] = [];

  beforeAll(async () => {
    sims = await startSimulators();
    const finished = sims.durable!.seeded.find(({ status }) => status === 'completed')!;
    id = `durable:${finished.id}`;
    child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', 'test/support/measured-subgraph.ts'],
      {
        cwd: ROOT,
        env: {
          ...BASE_ENV,
          // As in production: NODE_ENV=test (vitest's) changes Apollo Server's behaviour.
          NODE_ENV: 'production',
          ...simulatorEnv(sims),
          PORT: '0',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
          DOCUMENT_CACHE_MB: String(DOCUMENT_CACHE_MB),
          MAX_TOKENS: '10000',
          MAX_ALIASES: '1000',
          MAX_COST: '1000000',
          MAX_DEPTH: '10',
        },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      },
    );
    child.on('message', (message: MeasuredMessage) => void messages.push(message));
    const listening = await new Promise<MeasuredMessage>((resolve, reject) => {
      child.on('message', (message: MeasuredMessage) => message.url && resolve(message));
      child.once('exit', (code) => reject(new Error(`The subgraph exited with ${code}`)));
    });
    url = listening.url!;
    for (let i = 0; i < 4; i++) {
      clients.push(
        createClient({ url: `${url.replace(/^http/, 'ws')}/graphql`, webSocketImpl: WebSocket }),
      );
    }
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    if (child && child.exitCode === null) {
      const exited = once(child, 'exit');
      child.disconnect();
      const late = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(late);
    }
    if (sims) await closeAll(sims);
  });

  /** The subgraph's memory after full collections. */
  async function measure(): Promise<Measured> {
    const count = messages.length;
    child.send('measure');
    await expect.poll(() => messages.length, { timeout: 10_000, interval: 20 }).toBe(count + 1);
    return messages[count]!.memory!;
  }

  /** Heap growth after full collections, RSS growth after memory-reducing ones, both printed. */
  function growth(what: string, before: Measured, after: Measured) {
    const heap = after.collected.heapUsed - before.collected.heapUsed;
    const rss = after.reduced.rss - before.reduced.rss;
    const retained = after.collected.rss - before.collected.rss;
    console.log(
      `${what}, DOCUMENT_CACHE_MB=${DOCUMENT_CACHE_MB}: heap after full GC ` +
        `${mib(before.collected.heapUsed)} -> ${mib(after.collected.heapUsed)} (+${mib(heap)}); ` +
        `RSS after memory-reducing GC ${mib(before.reduced.rss)} -> ${mib(after.reduced.rss)} ` +
        `(+${mib(rss)}); RSS after plain full GC +${mib(retained)}`,
    );
    return { heap, rss };
  }

  /** POST to the fast route (no `accept`), or to Apollo's route with GraphQL's own media type. */
  async function post(text: string, route: 'fast' | 'apollo'): Promise<Answer> {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(route === 'apollo' && { accept: 'application/graphql-response+json' }),
      },
      body: JSON.stringify({ query: text, variables: { id } }),
    });
    return (await response.json()) as Answer;
  }

  /** A GET, which only Apollo's route answers. */
  async function get(text: string): Promise<Answer> {
    const search = new URLSearchParams({ query: text, variables: JSON.stringify({ id }) });
    const response = await fetch(`${url}/graphql?${search}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    return (await response.json()) as Answer;
  }

  async function overWebSocket(text: string, client: Client): Promise<Answer> {
    const results = client.iterate<Answer['data']>({ query: text, variables: { id } });
    let answer: Answer | undefined;
    try {
      for await (const result of results) answer = result as Answer;
    } catch (errors) {
      // A refusal comes as graphql-ws's `error` message: its errors.
      return { errors: errors as Answer['errors'] };
    }
    return answer!;
  }

  /** Sends query `i`, by the way in its index picks, and checks its answer. */
  async function send(i: number, text = query(i)): Promise<void> {
    // Half over HTTP: 60% of it the fast route, 30% Apollo's POST, 10% GET; half over WebSocket.
    const way = i % 20;
    const answer =
      way >= 10
        ? await overWebSocket(text, clients[i % clients.length]!)
        : way < 6
          ? await post(text, 'fast')
          : way < 9
            ? await post(text, 'apollo')
            : await get(text);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.execution).toMatchObject({ id, step000_isTerminal: true });
  }

  async function fastRouteRequests(): Promise<number> {
    const text = await (await fetch(`${url}/metrics`)).text();
    return Number(/^graphql_fast_path_requests_total (\d+)/m.exec(text)?.[1]);
  }

  it(`5,000 distinct 6 KB queries grow the heap by at most 40 MiB and RSS by at most 120 MiB (DOCUMENT_CACHE_MB=${DOCUMENT_CACHE_MB})`, async () => {
    expect(query(QUERIES - 1).length).toBeGreaterThan(QUERY_CHARS - 100);
    expect(query(QUERIES - 1).length).toBeLessThanOrEqual(QUERY_CHARS);
    // Warm-up: every way in loaded and run once (its code compiled, its pools open), with
    // small texts, so that the cache is all but empty when the heap is first measured.
    await pool(40, 8, (i) => send(i, small(i)));
    const fastBefore = await fastRouteRequests();
    const before = await measure();

    await pool(QUERIES, 16, send);

    const after = await measure();
    // Every way in was taken as meant: 30% of the queries on the fast route.
    expect((await fastRouteRequests()) - fastBefore).toBe(QUERIES * 0.3);
    const { heap, rss } = growth(
      `${QUERIES} queries of ${query(0).length} characters`,
      before,
      after,
    );
    expect(heap).toBeLessThanOrEqual(MAX_HEAP_GROWTH);
    expect(rss).toBeLessThanOrEqual(MAX_RSS_GROWTH);
  }, 50_000);

  it('distinct queries that fail validation, kept with their errors, stay within the same bounds', async () => {
    const before = await measure();
    // Half to the fast route (which prepares them, then leaves them to Apollo's), half over
    // WebSocket: 1,000 texts, which held some 500 MiB of heap when a text's estimate did not
    // count its errors.
    await pool(FAILING, 16, async (i) => {
      const text = failing(i);
      const answer =
        i % 2 === 0 ? await post(text, 'fast') : await overWebSocket(text, clients[i % 4]!);
      expect(answer.errors).toHaveLength(101);
      expect(answer.errors![0]).toMatchObject({
        message: 'Cannot query field "a" on type "Query".',
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
      });
    });
    const after = await measure();
    const { heap, rss } = growth(
      `${FAILING} failing queries of ${failing(0).length} characters`,
      before,
      after,
    );
    expect(heap).toBeLessThanOrEqual(MAX_HEAP_GROWTH);
    expect(rss).toBeLessThanOrEqual(MAX_RSS_GROWTH);
  }, 30_000);
});
