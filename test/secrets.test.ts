import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providers, providerSettings } from '../src/providers.js';
import { loadConfig, secretsOf } from '../src/config.js';
import { simulatorEnv } from '../src/demo.js';
import { cloudShellSimulator } from '../src/simulators/cloudshell.js';
import { simulatorOf, type Fault } from '../src/simulators/index.js';
import { NO_POLICY, startHarness, type Harness } from './harness.js';

const ROUTER_SECRET = 'router-secret-7f3a9c';
const KEYS = providers.map(({ datasource }) => datasource.key);
const FAULTS: Fault[] = [
  { kind: 'status', status: 401 },
  { kind: 'status', status: 403 },
  { kind: 'status', status: 429, retryAfterSeconds: 3 },
  { kind: 'status', status: 500 },
  { kind: 'malformed' },
  { kind: 'wrongShape' },
  { kind: 'html' },
  { kind: 'truncated' },
];

let h: Harness;
const captured: string[] = [];

beforeAll(async () => {
  h = await startHarness({ ...NO_POLICY, ROUTER_SECRET, LOG_LEVEL: 'debug' });
});
afterAll(() => h.close());

async function post(body: unknown, headers: Record<string, string>) {
  const response = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  captured.push(JSON.stringify([...response.headers]), await response.text());
}

describe('secrets', () => {
  it('never appear in a response, a response header, a log line or a metric', async () => {
    const router = {
      'router-authorization': ROUTER_SECRET,
      'x-refold-linked-account-id': 'demo-customer',
    };
    const ids = KEYS.map((key) => `${key}:${h.sims[key]!.seeded[0]!.id}`);
    const query = 'query ($ids: [ID!]!) { executions(ids: $ids) { id state } }';

    await post({ query, variables: { ids } }, router);
    for (const fault of FAULTS) {
      for (const key of KEYS) h.sims[key]!.inject(fault);
      await post({ query, variables: { ids } }, router);
    }
    simulatorOf(h.sims, cloudShellSimulator).expireTokens();
    await post({ query, variables: { ids } }, router);
    await post({ query, variables: { ids } }, { 'router-authorization': 'wrong' });
    await post({ query: '{ nope }' }, router);
    await post({ query: '{ _service { sdl } }' }, router);
    captured.push(await (await fetch(`${h.app.url}/metrics`)).text());

    const secrets = [
      ...secretsOf(
        loadConfig({ ...simulatorEnv(h.sims), ROUTER_SECRET }, providerSettings),
        providerSettings,
      ),
      h.sims.cloudshell.credentials.token!,
    ];
    expect(secrets).toEqual(
      expect.arrayContaining([
        ROUTER_SECRET,
        'demo-durable-token',
        'demo-refold-key',
        'admin-password',
      ]),
    );
    // Tokens CloudShell issued at login are secrets too.
    const issued = h.sims.cloudshell.requests
      .map((request) => request.headers.authorization)
      .filter((value): value is string => typeof value === 'string')
      .map((value) => value.replace(/^Basic /, ''));
    expect(issued.length).toBeGreaterThan(0);

    const logs = h.logs.map((line) => JSON.stringify(line));
    expect(logs.length).toBeGreaterThan(FAULTS.length);
    const everything = [...captured, ...logs].join('\n');
    for (const secret of [...secrets, ...issued]) {
      expect(everything).not.toContain(secret);
    }
  });
});
