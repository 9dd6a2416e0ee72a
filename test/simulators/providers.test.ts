import { startSimulators } from '../../src/demo.js';
import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { cloudShellSimulator } from '../../src/simulators/cloudshell.js';
import { closeAll, simulatorOf, type SimulatorSet } from '../../src/simulators/index.js';
import { REFOLD_DEMO_LINKED_ACCOUNT, refoldSimulator } from '../../src/simulators/refold.js';

let sims: SimulatorSet;
beforeAll(async () => {
  sims = await startSimulators();
});
afterAll(() => closeAll(sims));
beforeEach(() => Object.values(sims).forEach((sim) => sim.reset()));

const refoldAccount = { linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT };

interface Case {
  path: (id: string) => string;
  auth: Record<string, string>;
  wrongAuth: Record<string, string>;
  statuses: string[];
  keys: string[];
  /** Default none: keys some records have and others lack. */
  optional?: string[];
  body: (json: Record<string, unknown>) => unknown;
  error: (status: number, requestId: string) => unknown;
}

const cases: Record<string, Case> = {
  cloudshell: {
    path: (id) => `/api/v2/executions/${id}`,
    auth: { authorization: 'Basic demo-cloudshell-token' },
    wrongAuth: { authorization: 'Basic nope' },
    statuses: ['Pending', 'Running', 'Stopping', 'Canceled', 'Completed', 'Failed'],
    keys: ['_links', 'ended', 'id', 'output', 'started', 'status', 'supports_cancellation'],
    body: (json) => json,
    error: () => ({ errorCategory: expect.any(String), message: expect.any(String) }),
  },
  durable: {
    path: (id) => `/api/v1/executions/${id}`,
    auth: { authorization: 'Bearer demo-durable-token' },
    wrongAuth: { authorization: 'Bearer nope' },
    statuses: ['pending', 'queued', 'running', 'completed', 'failed', 'cancelled'],
    keys: (
      'assigned_to_worker batch_id cancelled_at cancelled_by completed_at concurrency_key ' +
      'created_at deployment_id error id output_schema_name parent_execution_id payload queue_name ' +
      'result retry_count root_execution_id run_timeout_seconds session_id started_at status ' +
      'step_key user_id workflow_id'
    ).split(' '),
    body: (json) => json,
    error: (status) => ({
      error: { code: status === 401 ? 'unauthorized' : 'not_found', message: expect.any(String) },
    }),
  },
  refold: {
    path: (id) => `/api/v2/public/execution/${id}`,
    auth: { 'x-api-key': 'demo-refold-key', ...refoldAccount },
    wrongAuth: { 'x-api-key': 'nope', ...refoldAccount },
    statuses:
      'QUEUED PENDING RUNNING IN_PROGRESS COMPLETED SUCCESS ERRORED FAILED STOPPED CANCELLED'.split(
        ' ',
      ),
    keys: (
      '_id associated_application associated_event_id associated_workflow config_id createdAt ' +
      'environment name status'
    ).split(' '),
    optional: ['completion_percentage', 'nodes'],
    body: (json) => json,
    error: (status, requestId) => ({
      status_code: status,
      http_error_type: status === 401 ? 'UNAUTHORIZED' : 'NOT_FOUND',
      error_code: status === 401 ? 'SERVER_ERROR' : 'NOT_FOUND',
      message: status === 401 ? expect.any(String) : expect.stringContaining('not found'),
      request_id: requestId,
    }),
  },
  payment: {
    path: (id) => `/v1/executions/${id}`,
    auth: { authorization: 'Bearer demo-payment-token' },
    wrongAuth: { authorization: 'Bearer nope' },
    statuses: (
      'awaiting_payment payment_confirmed workflow_queued workflow_running workflow_waiting ' +
      'workflow_succeeded workflow_failed workflow_cancelled'
    ).split(' '),
    keys: (
      'checkoutSessionId clientSafeMetadata createdAt externalRef finishedAt id idempotencyKey ' +
      'initiatedById initiatedByType orderId organizationId paymentStatus requestPayload ' +
      'responsePayload runId sourceEntityId sourceEntityType sourceSystem startedAt status ' +
      'statusReason updatedAt workflowId'
    ).split(' '),
    body: (json) => (json.data as { execution: unknown }).execution,
    error: (status, requestId) => ({
      code: status,
      data: null,
      message: expect.any(String),
      requestId,
    }),
  },
  serverless: {
    path: (id) => `/workflows/v1/execution/${id}`,
    auth: { authorization: 'Bearer demo-serverless-token' },
    wrongAuth: { authorization: 'Bearer nope' },
    statuses: ['QUEUED', 'RUNNING', 'PAUSED', 'STOPPED', 'FAILED', 'FINISHED'],
    keys: ['duration', 'id', 'input', 'startedAt', 'status', 'workflowId'],
    body: (json) => {
      const { result: _r, error: _e, ...rest } = json.execution as Record<string, unknown>;
      return rest;
    },
    error: (status, requestId) => ({
      code: status === 401 ? 16 : 5,
      message: expect.any(String),
      details: [expect.objectContaining({ requestId })],
    }),
  },
};

const call = (key: string, id: string, headers: Record<string, string>) =>
  fetch(`${sims[key].url}${cases[key].path(encodeURIComponent(id))}`, { headers });

describe.each(Object.keys(cases) as string[])('%s simulator', (key) => {
  const c = cases[key];

  it('seeds every documented status with at least 6 records', () => {
    const seeded = sims[key].seeded;
    expect(seeded.length).toBeGreaterThanOrEqual(6);
    expect(new Set(seeded.map((s) => s.status))).toEqual(new Set(c.statuses));
    // The listed history follows the seeded records, and stays out of `seeded`.
    const stored = [...seeded, ...sims[key].history].map((s) => s.id);
    expect([...sims[key].records.keys()]).toEqual(stored);
  });

  it('stores the history with the statuses it names, apart from the seeded ids', () => {
    const { history, seeded, records, definition } = sims[key];
    const statusOf =
      definition.statusOf ?? ((record: unknown) => (record as { status: string }).status);
    for (const { id, status } of history) expect(statusOf(records.get(id))).toBe(status);
    const ids = new Set(seeded.map((s) => s.id));
    expect(history.filter(({ id }) => ids.has(id))).toEqual([]);
  });

  it('answers every seeded record with the documented fields', async () => {
    for (const { id, status } of sims[key].seeded) {
      const res = await call(key, id, c.auth);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/json');
      const body = c.body((await res.json()) as Record<string, unknown>) as Record<string, unknown>;
      const optional = c.optional ?? [];
      const keys = Object.keys(body).filter((k) => !optional.includes(k));
      expect(keys.sort()).toEqual([...c.keys].sort());
      expect(body.status).toBe(status);
    }
  });

  it.each([
    ['missing', {}],
    ['wrong', c.wrongAuth],
  ])('answers 401 with its error body for a %s credential', async (_label, headers) => {
    const res = await call(key, sims[key].seeded[0]!.id, headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual(c.error(401, res.headers.get('x-request-id')!));
  });

  it('answers 404 with its error body for an unknown id', async () => {
    const res = await call(key, 'no-such-execution', c.auth);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual(c.error(404, res.headers.get('x-request-id')!));
  });
});

describe('cloudshell details', () => {
  it('links stop only for cancellable pending or running executions', () => {
    const withStop = [...sims.cloudshell.records.values()]
      .filter((r) => 'stop' in (r as { _links: object })._links)
      .map((r) => (r as { id: string }).id);
    expect(withStop).toEqual([
      '1DEB29BF-22B0-4CF6-B7BE-02173520EB81',
      '7A3C1E52-9F4B-4D8E-A1C6-3B5E2F7D9A04',
      // The live one, pending until the clock moves it.
      'A1B2C3D4-5E6F-4A7B-8C9D-0E1F2A3B4C5D',
    ]);
  });

  it('issues login tokens that work until expireTokens', async () => {
    const sim = simulatorOf(sims, cloudShellSimulator);
    const login = (password: string) =>
      fetch(`${sim.url}/api/login`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password, domain: 'Global' }),
      });
    expect((await login('wrong')).status).toBe(401);
    const res = await login('admin-password');
    const token = (await res.json()) as string;
    expect(token).toMatch(/^cs-token-[0-9a-f]{32}$/);
    expect(sim.logins).toBe(1);
    const id = sim.seeded[0]!.id;
    expect((await call('cloudshell', id, { authorization: `Basic ${token}` })).status).toBe(200);
    sim.expireTokens();
    expect((await call('cloudshell', id, { authorization: `Basic ${token}` })).status).toBe(401);
    expect((await call('cloudshell', id, cases.cloudshell.auth)).status).toBe(200);
  });
});

describe('refold linked accounts', () => {
  const id = '674d2a10c1f3b2a9e0a10001';
  const key = { 'x-api-key': 'demo-refold-key' };

  it('answers 400 without linked_account_id', async () => {
    const res = await call('refold', id, key);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ status_code: 400, http_error_type: 'BAD_REQUEST' });
  });

  it("answers 404 for another account's execution", async () => {
    expect((await call('refold', id, { ...key, linked_account_id: 'someone-else' })).status).toBe(
      404,
    );
    simulatorOf(sims, refoldSimulator).owners.set(id, 'someone-else');
    expect((await call('refold', id, { ...key, linked_account_id: 'someone-else' })).status).toBe(
      200,
    );
    expect((await call('refold', id, { ...key, ...refoldAccount })).status).toBe(404);
  });

  it('uses `_id_` in exactly one seeded record', () => {
    const legacy = [...sims.refold.records.values()].filter((r) =>
      JSON.stringify(r).includes('"_id_"'),
    );
    expect(legacy).toHaveLength(1);
    expect(legacy[0]).toMatchObject({
      associated_application: { _id_: '64f6d9f33234d3d6419cfdc7' },
    });
  });
});

describe('payment envelope', () => {
  it('wraps the stored record with the x-request-id as requestId', async () => {
    const id = sims.payment.seeded[0]!.id;
    const res = await call('payment', id, cases.payment.auth);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({
      code: 200,
      data: { ...(sims.payment.records.get(id) as object), message: 'success' },
      message: 'success',
      requestId: res.headers.get('x-request-id'),
    });
  });
});

describe('durable lineage', () => {
  it('chains children and a grandchild to one root', () => {
    const byRoot = [...sims.durable.records.values()].filter(
      (r) => (r as { root_execution_id: string | null }).root_execution_id === 'wf_root_1',
    );
    expect(byRoot.length).toBeGreaterThanOrEqual(3);
    expect(sims.durable.records.get('wf_grandchild_1b1')).toMatchObject({
      parent_execution_id: 'wf_child_1b',
      root_execution_id: 'wf_root_1',
    });
  });
});

describe('serverless outcome fields', () => {
  it('has error only on FAILED and result only on FINISHED, as JSON strings', () => {
    const executions = sims.serverless.seeded.map(
      ({ id }) =>
        (sims.serverless.records.get(id) as { execution: Record<string, unknown> }).execution,
    );
    expect(executions.filter((e) => 'error' in e).map((e) => e.status)).toEqual(['FAILED']);
    const finished = executions.filter((e) => 'result' in e);
    expect(finished.map((e) => e.status)).toEqual(['FINISHED']);
    const { resultJson } = finished[0]!.result as { resultJson: string };
    expect(JSON.parse(resultJson)).toEqual({ shipped: true, trackingId: 'YC-7781' });
    expect(executions.map((e) => e.startedAt)).toContain('2026-11-20T10:00:00.123456789Z');
  });
});
