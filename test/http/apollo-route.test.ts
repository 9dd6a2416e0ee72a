import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.js';

// What Apollo Server would add by itself with GraphOS settings in the environment.
const GRAPHOS_ENV = {
  APOLLO_KEY: 'service:executions-test:not-a-real-key',
  APOLLO_GRAPH_REF: 'executions-test@current',
  APOLLO_SCHEMA_REPORTING: 'true',
};

let h: Harness;
const saved = Object.fromEntries(Object.keys(GRAPHOS_ENV).map((name) => [name, process.env[name]]));

beforeAll(async () => {
  Object.assign(process.env, GRAPHOS_ENV);
  try {
    h = await startHarness();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
afterAll(() => h?.close());

describe("Apollo Server's route", () => {
  it('runs no plugin of Apollo Server beyond the ones it is given, whatever the environment says', async () => {
    // A GET goes to Apollo's route.
    const response = await fetch(
      `${h.app.url}/graphql?query=${encodeURIComponent('{ execution(id: "durable:wf_root_1") { id } }')}`,
      { headers: { 'apollo-require-preflight': 'true' } },
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { execution: { id: 'durable:wf_root_1' } } });
    // Usage and schema reporting would say so in the log (and reach for the network).
    const apolloLines = h.logs
      .map((line) => String(line.msg))
      .filter((msg) => /Apollo|usage report|schema report|API key/i.test(msg));
    expect(apolloLines).toEqual([]);
    expect(h.logs.some((line) => line.msg === 'graphql request')).toBe(true);
  });
});
