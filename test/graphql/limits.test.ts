import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import { startHarness, type Harness } from '../harness.js';

const KEYS = providers.map(({ datasource }) => datasource.key);

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    MAX_DEPTH: '5',
    MAX_ALIASES: '4',
    MAX_TOKENS: '300',
    MAX_IDS_PER_REQUEST: '20',
  });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

function nested(depth: number): string {
  let selection = 'id';
  for (let i = 0; i < depth; i++) selection = `parentExecution { ${selection} }`;
  return `{ execution(id: "durable:wf_grandchild_1b1") { ... on DurableWorkflowExecution { ${selection} } } }`;
}

function noUpstreamRequests() {
  for (const key of KEYS) expect(h.sims[key]!.requests).toHaveLength(0);
}

describe('query shape limits', () => {
  it('answers a query within every limit', async () => {
    const { body } = await h.query(nested(2));
    expect(body.errors).toBeUndefined();
  });

  it.each([
    ['depth', nested(6), 'at most 5 are allowed (MAX_DEPTH)'],
    [
      'aliases',
      `{ ${Array.from({ length: 5 }, (_, i) => `a${i}: execution(id: "durable:wf_root_1") { id }`).join(' ')} }`,
      'at most 4 are allowed (MAX_ALIASES)',
    ],
    [
      'tokens',
      `{ execution(id: "durable:wf_root_1") { ${'id '.repeat(300)} } }`,
      'more than 300 tokens, the most allowed (MAX_TOKENS)',
    ],
  ])(
    'refuses a query over the %s limit, naming the limit, before any upstream call',
    async (_, query, message) => {
      const { status, body } = await h.query(query);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors?.[0]?.message).toContain(message);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'GRAPHQL_VALIDATION_FAILED' });
      noUpstreamRequests();
    },
  );

  it('refuses more ids than MAX_IDS_PER_REQUEST, naming the limit, before any upstream call', async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `payment:p${i}`);
    const { status, body } = await h.query(
      'query ($ids: [ID!]!) { executions(ids: $ids) { id } }',
      { ids },
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 20 } });
    expect(body.errors?.[0]?.message).toContain('at most 20');
    noUpstreamRequests();
  });

  it("counts a variable's default, and leaves a missing variable to execution's refusal", async () => {
    const ids = JSON.stringify(Array.from({ length: 21 }, (_, i) => `payment:p${i}`));
    const defaulted = await h.query(
      `query ($ids: [ID!]! = ${ids}) { executions(ids: $ids) { id } }`,
    );
    expect(defaulted.status).toBe(400);
    expect(defaulted.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', limit: 20 },
    });
    const missing = await h.query('query ($ids: [ID!]!) { executions(ids: $ids) { id } }');
    expect(missing.status).toBe(400);
    expect(missing.body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('"$ids" of required type "[ID!]!" was not provided'),
      extensions: { code: 'BAD_USER_INPUT' },
    });
    noUpstreamRequests();
  });

  it('counts ids inside fragments and inline ids too', async () => {
    const ids = Array.from({ length: 11 }, (_, i) => `"payment:p${i}"`).join(', ');
    const query = `query { ...Two } fragment Two on Query { a: executions(ids: [${ids}]) { id } ... on Query { b: executions(ids: [${ids}]) { id } } }`;
    const { body } = await h.query(query);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', limit: 20 } });
    noUpstreamRequests();
  });
});

describe('introspection', () => {
  it('is on by default, deep as it is', async () => {
    const { body } = await h.query(
      '{ __schema { types { name fields { type { ofType { ofType { name } } } } } } }',
    );
    expect(body.errors).toBeUndefined();
  });

  it('is refused when INTROSPECTION=false', async () => {
    const closed = await startHarness({ INTROSPECTION: 'false' });
    try {
      const { body } = await closed.query('{ __schema { queryType { name } } }');
      expect(body.errors?.[0]?.message).toMatch(/introspection/i);
      // A browser asking for GraphiQL is told it is off, not refused by CSRF prevention.
      const page = await fetch(`${closed.app.url}/graphql`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(404);
      expect(await page.json()).toEqual({
        errors: [
          {
            message: expect.stringContaining('GraphiQL is off on this server: INTROSPECTION=false'),
            extensions: { code: 'NOT_FOUND' },
          },
        ],
      });
    } finally {
      await closed.close();
    }
  });
});
