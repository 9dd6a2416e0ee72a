import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NO_POLICY, startHarness, type Harness } from '../harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness(NO_POLICY);
});
afterAll(() => h.close());
beforeEach(() => h.reset());

const LOOKUP = 'query Lookup($ids: [ID!]!) { executions(ids: $ids) { id } }';

async function post(
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${h.app.url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-refold-linked-account-id': 'demo-customer',
      ...headers,
    },
    body: JSON.stringify({ query, variables }),
  });
  return { requestId: response.headers.get('x-request-id'), body: await response.json() };
}

async function scrape(): Promise<string> {
  const response = await fetch(`${h.app.url}/metrics`);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

/** The value of one series, by its exact name and labels as Prometheus text prints them. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  if (!line) throw new Error(`no series ${series} in /metrics`);
  return Number(line.slice(series.length + 1));
}

describe('/metrics', () => {
  it('counts requests, errors, durations, upstream calls, batches and in-flight calls', async () => {
    const before = await scrape();
    const base = (series: string) => (before.includes(`${series} `) ? value(before, series) : 0);
    const ok = `durable:wf_root_1`;
    h.sims.payment.inject({ kind: 'status', status: 500 });
    await post(LOOKUP, {
      ids: [ok, 'durable:wf_child_1a', 'durable:nope', `payment:${h.sims.payment.seeded[0]!.id}`],
    });

    const text = await scrape();
    const delta = (series: string) => value(text, series) - base(series);
    expect(delta('graphql_requests_total{operation="Lookup"}')).toBe(1);
    expect(delta('graphql_errors_total{operation="Lookup",code="NOT_FOUND"}')).toBe(1);
    expect(delta('graphql_errors_total{operation="Lookup",code="UPSTREAM_ERROR"}')).toBe(1);
    expect(delta('graphql_request_duration_seconds_count{operation="Lookup"}')).toBe(1);
    expect(value(text, 'graphql_request_duration_seconds_sum{operation="Lookup"}')).toBeGreaterThan(
      0,
    );
    expect(
      delta(
        'upstream_request_duration_seconds_count{provider="DURABLE_WORKFLOW",status_class="2xx"}',
      ),
    ).toBe(2);
    expect(
      delta(
        'upstream_request_duration_seconds_count{provider="DURABLE_WORKFLOW",status_class="4xx"}',
      ),
    ).toBe(1);
    expect(
      delta(
        'upstream_request_duration_seconds_count{provider="PAYMENT_WORKFLOW",status_class="5xx"}',
      ),
    ).toBe(1);
    expect(delta('upstream_requests_per_graphql_request_sum')).toBe(4);
    expect(delta('dataloader_batch_size_sum{provider="DURABLE_WORKFLOW"}')).toBe(3);
    expect(value(text, 'upstream_in_flight{provider="DURABLE_WORKFLOW"}')).toBe(0);
    // Only status classes that happened have series.
    expect(text).not.toContain('status_class="1xx"');
    expect(text).toContain('process_resident_memory_bytes');
    // Label values are bounded: no ids, no paths.
    expect(text).not.toContain('wf_root_1');
    expect(text).not.toContain('/api/');
  });

  it('keeps client-chosen operation names to a bounded set', async () => {
    for (let i = 0; i < 60; i++) await post(`query Op${i} { __typename }`, {});
    await post('query { __typename }', {});
    const names = new Set(
      [...(await scrape()).matchAll(/^graphql_requests_total\{operation="([^"]+)"\}/gm)].map(
        (m) => m[1],
      ),
    );
    expect(names.has('other')).toBe(true);
    expect(names.has('anonymous')).toBe(true);
    expect(names.size).toBeLessThanOrEqual(52);
  });
});

describe('logs and request ids', () => {
  it('logs each GraphQL request and each failed upstream call under the request id', async () => {
    h.sims.payment.inject({ kind: 'status', status: 503 });
    const { requestId } = await post(LOOKUP, {
      ids: ['durable:wf_root_1', `payment:${h.sims.payment.seeded[0]!.id}`],
    });
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        msg: 'graphql request',
        requestId,
        operationName: 'Lookup',
        upstreamCalls: 2,
        errorCodes: ['UPSTREAM_ERROR'],
        durationMs: expect.any(Number),
      }),
    );
    expect(h.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        requestId,
        provider: 'PAYMENT_WORKFLOW',
        status: 503,
        code: 'UPSTREAM_ERROR',
        upstreamRequestId: expect.any(String),
      }),
    );
  });

  it('accepts a well-formed incoming x-request-id and replaces anything else', async () => {
    const given = await post('{ __typename }', {}, { 'x-request-id': 'edge-7f3a.42' });
    expect(given.requestId).toBe('edge-7f3a.42');
    expect(h.logs).toContainEqual(expect.objectContaining({ requestId: 'edge-7f3a.42' }));
    const replaced = await post(
      '{ __typename }',
      {},
      { 'x-request-id': 'has spaces and "quotes"' },
    );
    expect(replaced.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
