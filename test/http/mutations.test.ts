import { providerSettings } from '../../src/providers.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { startHarness, type Harness } from '../harness.js';

const STOP = 'mutation { stopExecution(id: "durable:wf_root_1") { id state } }';
const SECRET = 'router-secret-value';

/** Every request any simulator received. */
const upstreamRequests = (h: Harness) =>
  Object.values(h.sims).reduce((sum, sim) => sum + sim.requests.length, 0);

async function sdl(h: Harness, headers: Record<string, string> = {}): Promise<string> {
  const { body } = await h.query<{ _service: { sdl: string } }>(
    '{ _service { sdl } }',
    {},
    headers,
  );
  return body.data!._service.sdl;
}

describe.each([
  ['MUTATIONS=false, even with ROUTER_SECRET', { MUTATIONS: 'false', ROUTER_SECRET: SECRET }],
  ['neither ROUTER_SECRET nor MUTATIONS=true', {}],
])('with %s', (_, env: Record<string, string>) => {
  let h: Harness;
  const headers: Record<string, string> = env.ROUTER_SECRET
    ? { 'router-authorization': SECRET }
    : {};
  beforeAll(async () => {
    h = await startHarness(env);
  });
  afterAll(() => h.close());

  it('has no Mutation in the SDL or in introspection', async () => {
    expect(await sdl(h, headers)).not.toMatch(/\btype Mutation\b|stopExecution\(/);
    const { body } = await h.query('{ __schema { mutationType { name } } }', {}, headers);
    expect(body.data).toEqual({ __schema: { mutationType: null } });
  });

  it('refuses a mutation as a validation error, with no upstream call', async () => {
    const { status, body } = await h.query(STOP, {}, headers);
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: expect.stringContaining('Mutations are off on this server'),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    expect(upstreamRequests(h)).toBe(0);
  });
});

describe('with ROUTER_SECRET set', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ROUTER_SECRET: SECRET });
  });
  afterAll(() => h.close());

  it('has Mutation, and stops an execution for the router', async () => {
    expect(await sdl(h, { 'router-authorization': SECRET })).toContain('stopExecutions(');
    const { body } = await h.query(STOP, {}, { 'router-authorization': SECRET });
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual({
      stopExecution: { id: 'durable:wf_root_1', state: 'STOPPING' },
    });
  });

  it('answers a mutation without the secret with 401 before any upstream call', async () => {
    h.reset();
    const { status, body } = await h.query(STOP, {}, {});
    expect(status).toBe(401);
    expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(upstreamRequests(h)).toBe(0);
  });

  it('refuses a mutation over GET, with no upstream call', async () => {
    h.reset();
    const response = await fetch(`${h.app.url}/graphql?query=${encodeURIComponent(STOP)}`, {
      headers: { 'router-authorization': SECRET, 'apollo-require-preflight': 'true' },
    });
    expect(response.status).toBe(405);
    const body = (await response.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]?.message).toMatch(/mutation/i);
    expect(upstreamRequests(h)).toBe(0);
  });
});

describe('the MUTATIONS setting', () => {
  it.each([
    [{}, false, /neither ROUTER_SECRET nor MUTATIONS=true/],
    [{ ROUTER_SECRET: SECRET }, true, /ROUTER_SECRET is set/],
    [{ MUTATIONS: 'true' }, true, /MUTATIONS=true/],
    [{ MUTATIONS: 'false', ROUTER_SECRET: SECRET }, false, /MUTATIONS=false/],
  ])('%j turns mutations %s, saying why', (env, enabled, reason) => {
    expect(loadConfig(env, providerSettings).mutations).toEqual({
      enabled,
      reason: expect.stringMatching(reason),
    });
  });

  it('is on in the demo unless MUTATIONS=false', () => {
    expect(loadConfig({}, providerSettings, true).mutations.enabled).toBe(true);
    expect(loadConfig({ MUTATIONS: 'false' }, providerSettings, true).mutations.enabled).toBe(
      false,
    );
  });

  it('refuses a value that is not true or false', () => {
    expect(() => loadConfig({ MUTATIONS: 'sometimes' }, providerSettings)).toThrow(
      'MUTATIONS must be true or false, not "sometimes".',
    );
  });
});
