import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { executionRequests, minimalRecord, startHarness, type Harness } from '../harness.js';
import { closeAll } from '../../src/simulators/index.js';

const KEYS = providers.map(({ datasource }) => datasource.key);
const CAP = 6;

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Execution { id state }
    ... on CloudShellExecution { stopLink { method } }
    ... on PaymentWorkflowExecution { events { eventType } }
  }
}`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    ROUTER_SECRET: 'router-secret-value',
    ...Object.fromEntries(
      providers.map(({ datasource: { env } }) => [`${env}_CONCURRENCY`, String(CAP)]),
    ),
  });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const ROUTER = {
  'router-authorization': 'router-secret-value',
  'x-refold-linked-account-id': 'demo-customer',
};

describe('entity references', () => {
  it('resolves every @key type and the Execution interface through the loaders', async () => {
    const typenames = Object.fromEntries(
      providers.map(({ datasource, type }) => [datasource.key, type.typename]),
    );
    const representations = KEYS.flatMap((key) => {
      const id = `${key}:${h.sims[key]!.seeded[0]!.id}`;
      // The concrete type, the interface (as an @interfaceObject subgraph sends it), and a repeat.
      return [
        { __typename: typenames[key], id },
        { __typename: 'Execution', id },
        { __typename: typenames[key], id },
      ];
    });
    const { body } = await h.query<{ _entities: Array<{ __typename: string; id: string } | null> }>(
      ENTITIES,
      { representations },
      ROUTER,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?._entities.map((e) => [e?.__typename, e?.id])).toEqual(
      representations.map(({ __typename, id }) => [
        __typename === 'Execution'
          ? typenames[id.split(':')[0] as keyof typeof typenames]
          : __typename,
        id,
      ]),
    );
    expect(body.data?._entities[0]).toMatchObject({ stopLink: { method: 'DELETE' } });
    for (const key of KEYS) expect(executionRequests(h.sims, key)).toHaveLength(1);
  });

  it('nulls a reference whose id does not fit its type, and keeps the others', async () => {
    const representations = [
      { __typename: 'CloudShellExecution', id: `payment:${h.sims.payment.seeded[0]!.id}` },
      { __typename: 'Execution', id: 'nope:1' },
      { __typename: 'Execution', id: `durable:wf_root_1` },
    ];
    const { body } = await h.query<{ _entities: Array<{ id: string } | null> }>(
      ENTITIES,
      { representations },
      ROUTER,
    );
    expect(body.data?._entities.map((e) => e?.id ?? null)).toEqual([
      null,
      null,
      'durable:wf_root_1',
    ]);
    expect(body.errors).toHaveLength(2);
    expect(body.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: ['_entities', 0], extensions: { code: 'BAD_USER_INPUT' } }),
        expect.objectContaining({ path: ['_entities', 1], extensions: { code: 'BAD_USER_INPUT' } }),
      ]),
    );
  });
});

describe('limits', () => {
  it('batches 300 representations of 150 distinct ids into 150 requests within each cap', async () => {
    const representations = KEYS.flatMap((key) => {
      h.sims[key]!.latencyMs = 15;
      return Array.from({ length: 30 }, (_, i) => {
        h.sims[key]!.records.set(`bulk-${i}`, minimalRecord(key, `bulk-${i}`, 'running'));
        return { __typename: 'Execution', id: `${key}:bulk-${i}` };
      });
    });
    const all = [...representations, ...representations.slice().reverse()];
    expect(all).toHaveLength(300);
    const { body } = await h.query<{ _entities: Array<{ id: string } | null> }>(
      ENTITIES,
      { representations: all },
      ROUTER,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data?._entities.map((e) => e?.id)).toEqual(all.map((r) => r.id));
    for (const key of KEYS) {
      expect(executionRequests(h.sims, key)).toHaveLength(30);
      expect(h.sims[key]!.maxInFlight).toBe(CAP);
    }
  });

  it('refuses more than MAX_IDS_PER_REQUEST ids in one request, before any upstream call', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `durable:many-${i}`);
    const { status, body } = await h.query(
      'query ($ids: [ID!]!) { a: executions(ids: $ids) { id } b: executions(ids: $ids) { id } }',
      { ids },
      ROUTER,
    );
    expect(status).toBe(400);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 500 } });
    expect(body.errors?.[0]?.message).toContain('at most 500');
    expect(h.sims.durable.requests).toHaveLength(0);
  });

  it('refuses more than MAX_IDS_PER_REQUEST representations', async () => {
    const representations = Array.from({ length: 501 }, (_, i) => ({
      __typename: 'Execution',
      id: `payment:p-${i}`,
    }));
    const { body } = await h.query(ENTITIES, { representations }, ROUTER);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 500 } });
    expect(h.sims.payment.requests).toHaveLength(0);
  });
});

describe('router secret', () => {
  it('refuses a request without the router-authorization header before any work', async () => {
    const { status, body } = await h.query('{ execution(id: "durable:wf_root_1") { id } }', {}, {});
    expect(status).toBe(401);
    expect(body.errors?.[0]?.message).toContain('router-authorization');
    expect(JSON.stringify(body)).not.toContain('router-secret-value');
    expect(h.sims.durable.requests).toHaveLength(0);
  });

  it('refuses a wrong secret and _service { sdl } alike', async () => {
    const { status } = await h.query(
      '{ _service { sdl } }',
      {},
      { 'router-authorization': 'nope' },
    );
    expect(status).toBe(401);
  });

  it('serves the subgraph SDL to a router that knows the secret', async () => {
    const { body } = await h.query<{ _service: { sdl: string } }>(
      '{ _service { sdl } }',
      {},
      ROUTER,
    );
    expect(body.data?._service.sdl).toMatch(/interface Execution\s+@key\(fields: "id"\)/);
  });
});

describe('HTTP surface', () => {
  it('answers /healthz and lists the configured providers on /readyz', async () => {
    const health = await fetch(`${h.app.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      providers: {
        CLOUDSHELL: { circuit: 'closed' },
        DURABLE_WORKFLOW: { circuit: 'closed' },
        REFOLD: { circuit: 'closed' },
        PAYMENT_WORKFLOW: { circuit: 'closed' },
        SERVERLESS_WORKFLOW: { circuit: 'closed' },
      },
      cache: { memory: { entries: expect.any(Number), bytes: expect.any(Number) }, redis: 'off' },
    });
  });

  it('answers GET queries that carry a CSRF-safe header', async () => {
    const query = encodeURIComponent('{ execution(id: "durable:wf_root_1") { state } }');
    const response = await fetch(`${h.app.url}/graphql?query=${query}`, {
      headers: { ...ROUTER, 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { execution: { state: 'RUNNING' } } });
  });

  it('refuses a body that is not JSON with 400 and keeps serving', async () => {
    const response = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { ...ROUTER, 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(response.status).toBe(400);
    const { body } = await h.query('{ execution(id: "durable:wf_root_1") { id } }', {}, ROUTER);
    expect(body.data).toEqual({ execution: { id: 'durable:wf_root_1' } });
  });

  it('refuses a body over 1 MiB with 413, in the GraphQL error shape', async () => {
    const response = await fetch(`${h.app.url}/graphql`, {
      method: 'POST',
      headers: { ...ROUTER, 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      errors: [
        {
          message: 'The request body is over 1048576 bytes.',
          extensions: { code: 'PAYLOAD_TOO_LARGE' },
        },
      ],
    });
  });
});

describe('draining on shutdown', () => {
  it('answers /readyz with 503 for SHUTDOWN_DRAIN_MS while it still serves requests', async () => {
    const draining = await startHarness({ SHUTDOWN_DRAIN_MS: '500' });
    const closed = draining.app.close();
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const ready = await fetch(`${draining.app.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'shutting down' });
      const { status, body } = await draining.query(
        '{ execution(id: "durable:wf_root_1") { id } }',
      );
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
    } finally {
      await closed;
      await closeAll(draining.sims);
    }
  });

  it('closes once when told twice (a signal during shutdown): both calls end, nothing throws', async () => {
    const twice = await startHarness();
    try {
      await Promise.all([twice.app.close(), twice.app.close()]);
      await twice.app.close();
      await expect(fetch(`${twice.app.url}/readyz`)).rejects.toThrow();
    } finally {
      await closeAll(twice.sims);
    }
  });
});
