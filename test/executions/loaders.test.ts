import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { providers } from '../../src/providers.js';
import type { SimRequest, SimulatorSet } from '../../src/simulators/index.js';
import { executionRequests, minimalRecord, startHarness, type Harness } from '../harness.js';

const KEYS = providers.map(({ datasource }) => datasource.key);

const QUERY = `query ($ids: [ID!]!) {
  executions(ids: $ids) {
    id
    ... on DurableWorkflowExecution {
      parentExecution { id rootExecution { id } }
      rootExecution { id parentExecution { id } }
    }
  }
}`;

/** Native ids by provider: seeded ones, some repeated, and durable children whose parents repeat. */
function thirtyIds(sims: SimulatorSet): string[] {
  const seeded = (key: string, n: number) =>
    sims[key]!.seeded.slice(0, n).map(({ id }) => `${key}:${id}`);
  const ids = [
    ...seeded('cloudshell', 5),
    'durable:wf_child_1a',
    'durable:wf_child_1b',
    'durable:wf_child_1c',
    'durable:wf_grandchild_1b1',
    ...seeded('refold', 5),
    ...seeded('payment', 5),
    ...seeded('serverless', 5),
  ];
  // Duplicates: the same ids again, from every provider.
  return [...ids, ids[0]!, ids[1]!, ids[5]!, ids[8]!, ids[10]!, ids[15]!, ids[20]!, ids[24]!].slice(
    0,
    30,
  );
}

function overlapping(requests: SimRequest[]): boolean {
  const lastStart = Math.max(...requests.map((r) => r.startedAt));
  const firstEnd = Math.min(...requests.map((r) => r.endedAt ?? Infinity));
  return lastStart < firstEnd;
}

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ PAYMENT_WORKFLOW_CONCURRENCY: '2' });
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe('batching', () => {
  it('fetches each distinct id once, however often a query names or links to it', async () => {
    const ids = thirtyIds(h.sims);
    expect(ids).toHaveLength(30);
    const { body } = await h.query<{ executions: Array<{ id: string } | null> }>(QUERY, { ids });
    expect(body.errors).toBeUndefined();
    expect(body.data?.executions.map((e) => e?.id)).toEqual(ids);

    // wf_root_1 is reached only through parent/root links, from four executions, twice each.
    const distinct = new Set([...ids, 'durable:wf_root_1']);
    for (const key of KEYS) {
      const fetched = executionRequests(h.sims, key).map((r) => `${key}:${r.id}`);
      const expected = [...distinct].filter((id) => id.startsWith(`${key}:`));
      expect(fetched.sort()).toEqual(expected.sort());
    }
  });

  it('fetches the ids of one provider concurrently, not one after another', async () => {
    for (const key of KEYS) h.sims[key]!.latencyMs = 40;
    const ids = thirtyIds(h.sims).filter((id) => !id.startsWith('payment:'));
    await h.query(QUERY, { ids });
    for (const key of ['cloudshell', 'refold', 'serverless'] as const) {
      const requests = executionRequests(h.sims, key);
      expect(requests.length).toBe(5);
      expect(overlapping(requests)).toBe(true);
      expect(h.sims[key]!.maxInFlight).toBe(5);
    }
  });

  it('fans out to 100 ids without a listener-leak warning', async () => {
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const ids = KEYS.flatMap((key) =>
        Array.from({ length: 20 }, (_, i) => {
          h.sims[key]!.records.set(`fan-${i}`, minimalRecord(key, `fan-${i}`, 'running'));
          return `${key}:fan-${i}`;
        }),
      );
      const { body } = await h.query(QUERY, { ids });
      expect(body.errors).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.map((w) => w.name)).not.toContain('MaxListenersExceededWarning');
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('keeps a provider within its concurrency cap', async () => {
    h.sims.payment.latencyMs = 20;
    const ids = h.sims.payment.seeded.map(({ id }) => `payment:${id}`);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    const { body } = await h.query(QUERY, { ids });
    expect(body.errors).toBeUndefined();
    expect(executionRequests(h.sims, 'payment')).toHaveLength(ids.length);
    expect(h.sims.payment.maxInFlight).toBe(2);
  });

  it('reuses keep-alive connections across requests', async () => {
    const ids = h.sims.durable.seeded.map(({ id }) => `durable:${id}`);
    for (let i = 0; i < 5; i++) await h.query(QUERY, { ids: [ids[i % ids.length]!] });
    expect(executionRequests(h.sims, 'durable').length).toBeGreaterThanOrEqual(5);
    expect(h.sims.durable.connections).toBeLessThanOrEqual(1);
  });
});
