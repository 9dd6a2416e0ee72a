import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cloudShellSimulator } from '../../src/simulators/cloudshell.js';
import { simulatorOf, type SimRequest } from '../../src/simulators/index.js';
import { executionRequests, startHarness, type Harness } from '../harness.js';

const CLOUDSHELL_IDS = [
  '1DEB29BF-22B0-4CF6-B7BE-02173520EB81',
  '7A3C1E52-9F4B-4D8E-A1C6-3B5E2F7D9A04',
  '3E7A9C1B-5D2F-4C8A-B9E6-1F4D7A3C5E82',
  'C4E8F2A1-6B3D-4F7A-9E5C-8D1B2A3F4E67',
  '5F9B3D7E-2A8C-4E1F-B6D4-9C7A5E3B1F28',
];
const CLOUDSHELL_ID = CLOUDSHELL_IDS[0]!;
const ISSUED_TOKEN = /^Basic (cs-token-[0-9a-f]{32})$/;

const QUERY = 'query ($id: ID!) { execution(id: $id) { id } }';
type ExecutionData = { execution: { id: string } | null };

/** Queries one execution and asserts it came back. */
async function fetchOk(h: Harness, id: string): Promise<void> {
  const { status, body } = await h.query<ExecutionData>(QUERY, { id });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data?.execution).toEqual({ id });
}

const isLogin = (request: SimRequest) => request.method === 'PUT' && request.url === '/api/login';
const logins = (h: Harness) => h.sims.cloudshell.requests.filter(isLogin);
const authOf = (request: SimRequest | undefined) => request?.headers.authorization;

describe('auth headers each provider receives', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());
  beforeEach(() => h.reset());

  it.each<[string, string, (h: Harness) => Record<string, string>]>([
    [
      'durable',
      'wf_root_1',
      (h) => ({ authorization: `Bearer ${h.sims.durable.credentials.token}` }),
    ],
    [
      'payment',
      '8c1f5d2e-4b7a-4e93-9a60-000000000001',
      (h) => ({ authorization: `Bearer ${h.sims.payment.credentials.token}` }),
    ],
    [
      'serverless',
      'dfq0a1b2c3d4e5f6g7h8',
      (h) => ({ authorization: `Bearer ${h.sims.serverless.credentials.token}` }),
    ],
    [
      'refold',
      '674d2a10c1f3b2a9e0a10001',
      (h) => ({
        'x-api-key': h.sims.refold.credentials.apiKey!,
        linked_account_id: 'demo-customer',
      }),
    ],
  ])('sends %s its documented credential headers', async (key, nativeId, expected) => {
    await fetchOk(h, `${key}:${nativeId}`);
    const requests = executionRequests(h.sims, key);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.headers).toMatchObject(expected(h));
  });

  it('sends refold no authorization header', async () => {
    await fetchOk(h, 'refold:674d2a10c1f3b2a9e0a10001');
    expect(executionRequests(h.sims, 'refold')[0]?.headers).not.toHaveProperty('authorization');
  });

  it('sends cloudshell Basic with the token its JSON login issued', async () => {
    simulatorOf(h.sims, cloudShellSimulator).expireTokens();
    await fetchOk(h, `cloudshell:${CLOUDSHELL_ID}`);
    const login = logins(h).at(-1);
    expect(login?.headers['content-type']).toMatch(/^application\/json\b/);
    // The simulator counts a login only when the body's username, password and domain match.
    expect(simulatorOf(h.sims, cloudShellSimulator).logins).toBe(1);
    const executions = executionRequests(h.sims, 'cloudshell');
    expect(authOf(executions.at(-1))).toMatch(ISSUED_TOKEN);
    expect(authOf(executions.at(-1))).not.toContain(h.sims.cloudshell.credentials.token);
  });
});

describe('the CloudShell session', () => {
  let h: Harness;
  // A fresh subgraph per test: no token exists yet.
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('logs in once for two sequential queries', async () => {
    await fetchOk(h, `cloudshell:${CLOUDSHELL_IDS[0]}`);
    await fetchOk(h, `cloudshell:${CLOUDSHELL_IDS[1]}`);
    expect(simulatorOf(h.sims, cloudShellSimulator).logins).toBe(1);
    expect(logins(h)).toHaveLength(1);
    expect(h.sims.cloudshell.requests[0]).toMatchObject({ method: 'PUT', url: '/api/login' });
    const [first, second] = executionRequests(h.sims, 'cloudshell');
    expect(authOf(first)).toMatch(ISSUED_TOKEN);
    expect(authOf(second)).toBe(authOf(first));
  });

  it('logs in again exactly once after its token expires, and succeeds', async () => {
    await fetchOk(h, `cloudshell:${CLOUDSHELL_ID}`);
    simulatorOf(h.sims, cloudShellSimulator).expireTokens();
    await fetchOk(h, `cloudshell:${CLOUDSHELL_ID}`);
    expect(simulatorOf(h.sims, cloudShellSimulator).logins).toBe(2);
    const sequence = h.sims.cloudshell.requests.map((r) => `${r.method} ${r.url}`);
    const get = `GET /api/v2/executions/${CLOUDSHELL_ID}`;
    expect(sequence).toEqual(['PUT /api/login', get, get, 'PUT /api/login', get]);
    const [first, refused, retried] = executionRequests(h.sims, 'cloudshell');
    expect(authOf(refused)).toBe(authOf(first));
    expect(authOf(retried)).toMatch(ISSUED_TOKEN);
    expect(authOf(retried)).not.toBe(authOf(first));
  });

  it('shares one login among 10 concurrent requests', async () => {
    h.sims.cloudshell.latencyMs = 30;
    const ids = Array.from({ length: 10 }, (_, i) => CLOUDSHELL_IDS[i % CLOUDSHELL_IDS.length]);
    await Promise.all(ids.map((id) => fetchOk(h, `cloudshell:${id}`)));
    expect(simulatorOf(h.sims, cloudShellSimulator).logins).toBe(1);
    expect(logins(h)).toHaveLength(1);
    const executions = executionRequests(h.sims, 'cloudshell');
    expect(executions).toHaveLength(10);
    expect(new Set(executions.map(authOf)).size).toBe(1);
    expect(authOf(executions[0])).toMatch(ISSUED_TOKEN);
  });
});

describe('wrong credentials', () => {
  let h: Harness | undefined;
  afterEach(() => h?.close());

  it('answers UPSTREAM_UNAUTHORIZED for a wrong CloudShell password and keeps serving', async () => {
    h = await startHarness({ CLOUDSHELL_PASSWORD: 'not-the-password' });
    for (const attempt of [1, 2]) {
      const { status, body } = await h.query<ExecutionData>(QUERY, {
        id: `cloudshell:${CLOUDSHELL_ID}`,
      });
      expect(status).toBe(200);
      expect(body.data?.execution).toBeNull();
      expect(body.errors).toHaveLength(1);
      expect(body.errors?.[0]).toMatchObject({
        path: ['execution'],
        extensions: { code: 'UPSTREAM_UNAUTHORIZED', provider: 'CLOUDSHELL', status: 401 },
      });
      expect(JSON.stringify(body)).not.toContain('not-the-password');
      // A failed login is not cached: each query tries again.
      expect(logins(h)).toHaveLength(attempt);
    }
    expect(simulatorOf(h.sims, cloudShellSimulator).logins).toBe(0);
    expect(executionRequests(h.sims, 'cloudshell')).toHaveLength(0);
    await fetchOk(h, 'durable:wf_root_1');
  });

  it('answers UPSTREAM_UNAUTHORIZED 401 for a wrong bearer token without echoing it', async () => {
    h = await startHarness({ DURABLE_WORKFLOW_TOKEN: 'wrong' });
    const { body } = await h.query<ExecutionData>(QUERY, { id: 'durable:wf_root_1' });
    expect(body.data?.execution).toBeNull();
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['execution'],
      extensions: { code: 'UPSTREAM_UNAUTHORIZED', provider: 'DURABLE_WORKFLOW', status: 401 },
    });
    expect(body.errors?.[0]?.message).not.toContain('wrong');
    expect(JSON.stringify(body)).not.toContain('wrong');
    expect(authOf(executionRequests(h.sims, 'durable')[0])).toBe('Bearer wrong');
  });
});
