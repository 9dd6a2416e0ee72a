import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { demoHeaders, simulatorEnv } from '../../src/demo.js';
import { exampleQuery } from '../../src/http/graphiql.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { providers, providerSettings } from '../../src/providers.js';
import { startApp, type App } from '../../src/http/server.js';
import { NO_POLICY, startHarness, type Harness } from '../harness.js';

const DEMO_HEADERS = await demoHeaders();

// Every request below goes to two servers over the same simulators: the app as it runs (fast
// path on) and the same app with every request through Apollo Server. Their answers must be
// the same bytes, and the fast path's counter must show which requests it answered.

interface Sent {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Raw body text, for bodies that are not JSON. */
  text?: string;
  search?: string;
  headers?: Record<string, string>;
  /** Faults to inject before each server gets the request. */
  prepare?: () => void;
}

let h: Harness;
let apolloOnly: App;

beforeAll(async () => {
  h = await startHarness(NO_POLICY);
  const config = loadConfig(
    {
      ...simulatorEnv(h.sims),
      PORT: '0',
      HOST: '127.0.0.1',
      ...NO_POLICY,
    },
    providerSettings,
  );
  apolloOnly = await startApp(config, createLogger('silent'), {
    registry: providers,
    fastRoute: false,
  });
});
afterAll(async () => {
  await apolloOnly.close();
  await h.close();
});
beforeEach(() => h.reset());

async function send(app: App, sent: Sent) {
  sent.prepare?.();
  const response = await fetch(`${app.url}/graphql${sent.search ?? ''}`, {
    method: sent.method ?? 'POST',
    headers: {
      ...(sent.method === 'GET' ? {} : { 'content-type': 'application/json' }),
      ...DEMO_HEADERS,
      ...sent.headers,
    },
    body: sent.method === 'GET' ? undefined : (sent.text ?? JSON.stringify(sent.body)),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    // The provider's request id differs from call to call; everything else must not.
    body: text.replace(/"upstreamRequestId":"[^"]*"/g, '"upstreamRequestId":"…"'),
  };
}

async function fastPathCount(): Promise<number> {
  const text = await (await fetch(`${h.app.url}/metrics`)).text();
  return Number(/^graphql_fast_path_requests_total (\d+)/m.exec(text)?.[1]);
}

/** Sends `sent` to both servers; returns the fast app's answer after checking they are equal. */
async function both(sent: Sent) {
  const before = await fastPathCount();
  const fast = await send(h.app, sent);
  const fastAnswered = (await fastPathCount()) - before;
  const apollo = await send(apolloOnly, sent);
  expect(fast).toEqual(apollo);
  return { ...fast, fastAnswered };
}

function seededIds(count: number): string[] {
  return providers.flatMap(({ datasource: { key } }) =>
    h.sims[key]!.seeded.slice(0, count).map(({ id }) => `${key}:${id}`),
  );
}

describe('the fast path answers as Apollo Server does', () => {
  it('answers every provider and field of the GraphiQL example, twice from one prepared document', async () => {
    const sent = { body: { query: exampleQuery(providers, seededIds(3)) } };
    for (let round = 0; round < 2; round++) {
      const answer = await both(sent);
      expect(answer).toMatchObject({ status: 200, fastAnswered: 1 });
      expect(JSON.parse(answer.body).data.executions).toHaveLength(15);
    }
  });

  it('answers partial failures with the same errors, paths and nulls', async () => {
    const [cloudshell, durable] = seededIds(1);
    // One upstream failure per request: errors are listed as they happen.
    for (const [failing, code, prepare] of [
      ['durable:missing', 'NOT_FOUND', () => undefined],
      [
        'serverless:x',
        'UPSTREAM_ERROR',
        () => h.sims.serverless.inject({ kind: 'status', status: 500 }),
      ],
    ] as const) {
      const answer = await both({
        body: {
          query:
            'query Mixed($ids: [ID!]!) { executions(ids: $ids) { id state ... on DurableWorkflowExecution { parentExecution { id } } } }',
          variables: { ids: [cloudshell, failing, durable, 'nope:1'] },
          operationName: 'Mixed',
        },
        prepare,
      });
      expect(answer).toMatchObject({ status: 200, fastAnswered: 1 });
      const body = JSON.parse(answer.body);
      expect(body.data.executions.map((item: unknown) => item === null)).toEqual([
        false,
        true,
        false,
        true,
      ]);
      expect(
        body.errors.map((error: { extensions: { code: string } }) => error.extensions.code),
      ).toEqual(['BAD_USER_INPUT', code]);
    }
  });

  it('answers entity references, fragments, aliases, directives and variable defaults', async () => {
    const [cloudshell, durable, refold] = seededIds(1);
    const answer = await both({
      body: {
        query: `query Parts($withState: Boolean = true, $representations: [_Any!]!) {
          first: execution(id: "${cloudshell}") { ...Common }
          second: execution(id: "${durable}") { ...Common state @include(if: $withState) }
          _entities(representations: $representations) { ... on RefoldExecution { id name } }
          __typename
        }
        fragment Common on Execution { id provider nativeId startedAt }`,
        variables: {
          representations: [
            { __typename: 'RefoldExecution', id: refold },
            { __typename: 'RefoldExecution', id: cloudshell },
          ],
        },
      },
    });
    expect(answer).toMatchObject({ status: 200, fastAnswered: 1 });
    expect(JSON.parse(answer.body).errors).toHaveLength(1);
  });

  it('picks the named operation of a document with several', async () => {
    const [cloudshell, durable] = seededIds(1);
    const query = `query A { execution(id: "${cloudshell}") { id } } query B { execution(id: "${durable}") { id } }`;
    const answer = await both({ body: { query, operationName: 'B' } });
    expect(answer).toMatchObject({ status: 200, fastAnswered: 1 });
    expect(JSON.parse(answer.body).data.execution.id).toBe(durable);
  });
});

describe('Apollo Server answers what the fast path leaves to it', () => {
  const valid = 'query One($id: ID!) { execution(id: $id) { id } }';
  const cases: Array<[string, () => Sent, number]> = [
    ['a syntax error', () => ({ body: { query: '{ execution(id: ' } }), 400],
    ['an unknown field', () => ({ body: { query: '{ nope }' } }), 400],
    [
      'a variable of the wrong type',
      () => ({ body: { query: valid, variables: { id: 1.5 } } }),
      400,
    ],
    ['a missing variable', () => ({ body: { query: valid } }), 400],
    [
      'an operation name the document lacks',
      () => ({ body: { query: valid, operationName: 'Other' } }),
      400,
    ],
    [
      'an empty operation name',
      () => ({ body: { query: valid, operationName: '', variables: { id: 'durable:x' } } }),
      400,
    ],
    [
      'two operations and no name',
      () => ({ body: { query: 'query A { __typename } query B { __typename }' } }),
      400,
    ],
    ['a body that is a list', () => ({ body: [{ query: '{ __typename }' }] }), 400],
    [
      'variables given as a string',
      () => ({ body: { query: valid, variables: '{"id":"durable:x"}' } }),
      400,
    ],
    [
      'more ids than MAX_IDS_PER_REQUEST',
      () => ({
        body: {
          query: 'query ($ids: [ID!]!) { executions(ids: $ids) { id } }',
          variables: { ids: Array.from({ length: 501 }, (_, i) => `durable:${i}`) },
        },
      }),
      400,
    ],
    [
      'a persisted query',
      () => ({
        body: {
          query: valid,
          variables: { id: 'durable:x' },
          extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } },
        },
      }),
      400,
    ],
    [
      'a GET request',
      () => ({
        method: 'GET',
        search: `?query=${encodeURIComponent('{ __typename }')}`,
        headers: { 'apollo-require-preflight': 'true' },
      }),
      200,
    ],
    [
      'an accept header asking for graphql-response+json',
      () => ({
        body: { query: '{ __typename }' },
        headers: { accept: 'application/graphql-response+json' },
      }),
      200,
    ],
    [
      'a text/plain body',
      () => ({
        text: JSON.stringify({ query: '{ __typename }' }),
        headers: { 'content-type': 'text/plain' },
      }),
      400,
    ],
  ];
  it.each(cases)('leaves %s to Apollo Server, with the same answer', async (_, make, status) => {
    const answer = await both(make());
    expect(answer.status).toBe(status);
    expect(answer.fastAnswered).toBe(0);
  });

  it('leaves a request for a federated trace to Apollo Server, which adds ftv1', async () => {
    const before = await fastPathCount();
    const answer = await send(h.app, {
      body: { query: '{ __typename }' },
      headers: { 'apollo-federation-include-trace': 'ftv1' },
    });
    expect(JSON.parse(answer.body).extensions.ftv1).toEqual(expect.any(String));
    expect((await fastPathCount()) - before).toBe(0);
  });
});
