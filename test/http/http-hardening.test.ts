import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { providerSettings } from '../../src/providers.js';
import { startHarness, type Harness } from '../harness.js';

const SECRET = 'router-secret-for-caches';
// A finished execution of a provider whose answers depend on no customer.
const QUERY = '{ execution(id: "durable:wf_child_1a") { id state } }';

async function ask(h: Harness, headers: Record<string, string> = {}) {
  const response = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: QUERY }),
  });
  expect(response.status).toBe(200);
  return {
    cacheControl: response.headers.get('cache-control'),
    vary: response.headers.get('vary'),
  };
}

describe('the HTTP server', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('closes a connection whose headers take over 10 s, or whose request takes over 30 s', () => {
    expect(h.app.server.headersTimeout).toBe(10_000);
    expect(h.app.server.requestTimeout).toBe(30_000);
  });

  it('lets a shared cache keep a finished answer that depends on no request header', async () => {
    expect(await ask(h)).toEqual({
      cacheControl: 'max-age=3600, public',
      vary: 'x-refold-linked-account-id',
    });
  });
});

describe('answers behind the router secret', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ROUTER_SECRET: SECRET });
  });
  afterAll(() => h.close());

  it('are private, and vary by the secret: a shared cache cannot hand them to a caller without it', async () => {
    expect(await ask(h, { 'router-authorization': SECRET })).toEqual({
      cacheControl: 'max-age=3600, private',
      vary: 'router-authorization, x-refold-linked-account-id',
    });
  });
});

describe('the demo', () => {
  it('listens on 127.0.0.1 unless HOST opens it', () => {
    expect(loadConfig({}, providerSettings, true).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }, providerSettings, true).host).toBe('0.0.0.0');
    // A configured service listens everywhere, as before.
    expect(loadConfig({}, providerSettings).host).toBe('0.0.0.0');
  });
});
