import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.js';

const COMMON =
  'id nativeId provider state providerStatus isTerminal startedAt endedAt durationSeconds error { message code }';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

async function one(id: string, typename: string, fields: string) {
  const { body } = await h.query(
    `query ($id: ID!) { execution(id: $id) { __typename ${COMMON} ... on ${typename} { ${fields} } } }`,
    { id },
  );
  expect(body.errors).toBeUndefined();
  return body.data?.execution;
}

describe('CloudShellExecution', () => {
  it('maps every field of the CloudShell record', async () => {
    h.sims.cloudshell.records.set('AB-1', {
      id: 'AB-1',
      supports_cancellation: 'true',
      started: '2026-11-20 10:00:00',
      ended: '2026-11-20T10:01:30.250Z',
      status: 'Completed',
      output: 'done',
      _links: {
        self: { href: '/executions/AB-1', method: 'GET' },
        stop: { href: '/executions/AB-1', method: 'DELETE' },
      },
    });
    expect(
      await one(
        'cloudshell:AB-1',
        'CloudShellExecution',
        'supportsCancellation output selfLink { href method } stopLink { href method }',
      ),
    ).toEqual({
      __typename: 'CloudShellExecution',
      id: 'cloudshell:AB-1',
      nativeId: 'AB-1',
      provider: 'CLOUDSHELL',
      state: 'SUCCEEDED',
      providerStatus: 'Completed',
      isTerminal: true,
      startedAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:01:30.250Z',
      durationSeconds: 90.25,
      error: null,
      supportsCancellation: true,
      output: 'done',
      selfLink: { href: '/executions/AB-1', method: 'GET' },
      stopLink: { href: '/executions/AB-1', method: 'DELETE' },
    });
  });

  it('reads empty strings as null and a missing stop link as null', async () => {
    h.sims.cloudshell.records.set('AB-2', {
      id: 'AB-2',
      supports_cancellation: 'false',
      started: '',
      ended: '',
      status: '',
      output: '',
      _links: { self: { href: '/executions/AB-2', method: 'GET' } },
    });
    expect(
      await one(
        'cloudshell:AB-2',
        'CloudShellExecution',
        'supportsCancellation output stopLink { href }',
      ),
    ).toMatchObject({
      state: 'UNKNOWN',
      providerStatus: null,
      startedAt: null,
      endedAt: null,
      durationSeconds: null,
      supportsCancellation: false,
      output: null,
      stopLink: null,
    });
  });
});

describe('DurableWorkflowExecution', () => {
  it('maps every field of the engine record, with parent and root through the loader', async () => {
    h.sims.durable.records.set('child', {
      id: 'child',
      created_at: '2026-11-20T09:59:00Z',
      payload: { order: 7, items: ['a'] },
      retry_count: 2,
      status: 'failed',
      workflow_id: 'wf-ship',
      assigned_to_worker: 'worker-3',
      batch_id: 'batch-1',
      cancelled_at: null,
      cancelled_by: null,
      completed_at: '2026-11-20T10:00:05.5Z',
      concurrency_key: 'order-7',
      deployment_id: 'dep-9',
      error: 'carrier timeout',
      output_schema_name: 'ShipResult',
      parent_execution_id: 'wf_root_1',
      queue_name: 'shipping',
      result: [1, 2],
      root_execution_id: 'wf_root_1',
      run_timeout_seconds: 300,
      session_id: 'sess-1',
      started_at: '2026-11-20T10:00:00Z',
      step_key: 'ship',
      user_id: 'user-5',
    });
    const fields = `workflowId queueName concurrencyKey stepKey batchId deploymentId sessionId userId
      assignedToWorker retryCount runTimeoutSeconds payload result outputSchemaName createdAt cancelledAt
      cancelledBy parentExecution { id workflowId } rootExecution { id }`;
    expect(await one('durable:child', 'DurableWorkflowExecution', fields)).toEqual({
      __typename: 'DurableWorkflowExecution',
      id: 'durable:child',
      nativeId: 'child',
      provider: 'DURABLE_WORKFLOW',
      state: 'FAILED',
      providerStatus: 'failed',
      isTerminal: true,
      startedAt: '2026-11-20T10:00:00.000Z',
      endedAt: '2026-11-20T10:00:05.500Z',
      durationSeconds: 5.5,
      error: { message: 'carrier timeout', code: null },
      workflowId: 'wf-ship',
      queueName: 'shipping',
      concurrencyKey: 'order-7',
      stepKey: 'ship',
      batchId: 'batch-1',
      deploymentId: 'dep-9',
      sessionId: 'sess-1',
      userId: 'user-5',
      assignedToWorker: 'worker-3',
      retryCount: 2,
      runTimeoutSeconds: 300,
      payload: { order: 7, items: ['a'] },
      result: [1, 2],
      outputSchemaName: 'ShipResult',
      createdAt: '2026-11-20T09:59:00.000Z',
      cancelledAt: null,
      cancelledBy: null,
      parentExecution: { id: 'durable:wf_root_1', workflowId: 'order-fulfilment' },
      rootExecution: { id: 'durable:wf_root_1' },
    });
  });

  it('ends a cancelled execution at its cancellation time', async () => {
    h.sims.durable.records.set('gone', {
      id: 'gone',
      created_at: '2026-11-20T10:00:00Z',
      payload: null,
      retry_count: 0,
      status: 'cancelled',
      workflow_id: 'w',
      started_at: '2026-11-20T10:00:00Z',
      cancelled_at: '2026-11-20T10:00:02Z',
      cancelled_by: 'system',
    });
    expect(
      await one('durable:gone', 'DurableWorkflowExecution', 'cancelledAt cancelledBy'),
    ).toMatchObject({
      state: 'CANCELLED',
      endedAt: '2026-11-20T10:00:02.000Z',
      durationSeconds: 2,
      cancelledAt: '2026-11-20T10:00:02.000Z',
      cancelledBy: 'system',
    });
  });

  it('refuses an absurd retry count as a body of the wrong shape', async () => {
    h.sims.durable.records.set('absurd', {
      id: 'absurd',
      created_at: '2026-11-20T10:00:00Z',
      retry_count: 1e12,
      status: 'running',
      workflow_id: 'w',
    });
    const { body } = await h.query('{ execution(id: "durable:absurd") { id } }');
    expect(body.data).toEqual({ execution: null });
    expect(body.errors?.[0]).toMatchObject({
      extensions: { code: 'UPSTREAM_ERROR', provider: 'DURABLE_WORKFLOW' },
    });
    expect(body.errors?.[0]?.message).toContain('retry_count');
  });
});

describe('RefoldExecution', () => {
  it('maps every field of the Refold record, reading `_id` and `_id_` alike', async () => {
    h.sims.refold.records.set('65410cf6cdf931a12d7ab0ff', {
      _id: '65410cf6cdf931a12d7ab0ff',
      createdAt: '2023-10-31T14:19:34.788Z',
      name: 'Retry for workflow 65200cfd01af0388e905ad92',
      associated_application: {
        icon: 'https://example.test/slack.png',
        name: 'Slack',
        _id: '64f6d9f33234d3d6419cfdbc',
      },
      status: 'ERRORED',
      associated_workflow: {
        _id_: '64f7258e35b72267edc02589',
        name: 'Post message to a channel',
        icon: '',
      },
      environment: 'test',
      config_id: '12345',
      associated_event_id: '6523dfdeffed0fb7e2c3b90e',
    });
    const fields =
      'name environment application { id name icon } workflow { id name icon } configId associatedEventId createdAt linkedAccountId';
    expect(await one('refold:65410cf6cdf931a12d7ab0ff', 'RefoldExecution', fields)).toEqual({
      __typename: 'RefoldExecution',
      id: 'refold:65410cf6cdf931a12d7ab0ff',
      nativeId: '65410cf6cdf931a12d7ab0ff',
      provider: 'REFOLD',
      state: 'FAILED',
      providerStatus: 'ERRORED',
      isTerminal: true,
      startedAt: '2023-10-31T14:19:34.788Z',
      endedAt: null,
      durationSeconds: null,
      error: null,
      name: 'Retry for workflow 65200cfd01af0388e905ad92',
      environment: 'TEST',
      application: {
        id: '64f6d9f33234d3d6419cfdbc',
        name: 'Slack',
        icon: 'https://example.test/slack.png',
      },
      workflow: { id: '64f7258e35b72267edc02589', name: 'Post message to a channel', icon: null },
      configId: '12345',
      associatedEventId: '6523dfdeffed0fb7e2c3b90e',
      createdAt: '2023-10-31T14:19:34.788Z',
      linkedAccountId: 'demo-customer',
    });
  });
});

describe('PaymentWorkflowExecution', () => {
  it('maps every execution and event field out of the envelope', async () => {
    h.sims.payment.records.set('pay-1', {
      execution: {
        id: 'pay-1',
        status: 'workflow_failed',
        checkoutSessionId: 'cs_1',
        clientSafeMetadata: { plan: 'pro' },
        createdAt: '2026-11-20T09:00:00Z',
        externalRef: 'ext-1',
        finishedAt: '2026-11-20T09:02:00Z',
        idempotencyKey: 'idem-1',
        initiatedById: 'user_1',
        initiatedByType: 'user',
        orderId: 'ord_1',
        organizationId: 'org_1',
        paymentStatus: 'paid',
        requestPayload: { amount: 1000 },
        responsePayload: { ok: false },
        runId: 'run_1',
        sourceEntityId: 'ent_1',
        sourceEntityType: 'invoice',
        sourceSystem: 'shopify',
        startedAt: '2026-11-20T09:01:00Z',
        statusReason: 'card declined',
        updatedAt: '2026-11-20T09:02:01Z',
        workflowId: 'wf_pay',
      },
      events: [
        {
          createdAt: '2026-11-20T09:01:30Z',
          data: { step: 1 },
          eventType: 'node.failed',
          executionId: 'pay-1',
          id: 'ev_1',
          level: 'error',
          message: 'declined',
          nodeId: 'charge',
          organizationId: 'org_1',
          requestId: 'req_9',
          runId: 'run_1',
          title: 'Charge failed',
          workflowId: 'wf_pay',
        },
      ],
    });
    const fields = `workflowId runId organizationId orderId checkoutSessionId externalRef idempotencyKey paymentStatus
      statusReason initiatedBy { id type } source { system entityId entityType } requestPayload responsePayload
      clientSafeMetadata createdAt updatedAt events { id createdAt eventType level message title nodeId runId requestId data }`;
    expect(await one('payment:pay-1', 'PaymentWorkflowExecution', fields)).toEqual({
      __typename: 'PaymentWorkflowExecution',
      id: 'payment:pay-1',
      nativeId: 'pay-1',
      provider: 'PAYMENT_WORKFLOW',
      state: 'FAILED',
      providerStatus: 'workflow_failed',
      isTerminal: true,
      startedAt: '2026-11-20T09:01:00.000Z',
      endedAt: '2026-11-20T09:02:00.000Z',
      durationSeconds: 60,
      error: { message: 'card declined', code: null },
      workflowId: 'wf_pay',
      runId: 'run_1',
      organizationId: 'org_1',
      orderId: 'ord_1',
      checkoutSessionId: 'cs_1',
      externalRef: 'ext-1',
      idempotencyKey: 'idem-1',
      paymentStatus: 'paid',
      statusReason: 'card declined',
      initiatedBy: { id: 'user_1', type: 'user' },
      source: { system: 'shopify', entityId: 'ent_1', entityType: 'invoice' },
      requestPayload: { amount: 1000 },
      responsePayload: { ok: false },
      clientSafeMetadata: { plan: 'pro' },
      createdAt: '2026-11-20T09:00:00.000Z',
      updatedAt: '2026-11-20T09:02:01.000Z',
      events: [
        {
          id: 'ev_1',
          createdAt: '2026-11-20T09:01:30.000Z',
          eventType: 'node.failed',
          level: 'error',
          message: 'declined',
          title: 'Charge failed',
          nodeId: 'charge',
          runId: 'run_1',
          requestId: 'req_9',
          data: { step: 1 },
        },
      ],
    });
  });
});

describe('ServerlessWorkflowExecution', () => {
  it('maps every field, parsing JSON strings and the protobuf duration', async () => {
    h.sims.serverless.records.set('dfqX', {
      execution: {
        id: 'dfqX',
        workflowId: 'dfqw1',
        input: { inputJson: '{"order":7}' },
        result: { resultJson: '[true,"ok"]' },
        error: { message: 'step 3 failed', errorCode: 'STEP_FAILED' },
        status: 'FAILED',
        startedAt: '2026-11-20T10:00:00.123456789Z',
        duration: '12.5s',
      },
    });
    expect(
      await one('serverless:dfqX', 'ServerlessWorkflowExecution', 'workflowId input result'),
    ).toEqual({
      __typename: 'ServerlessWorkflowExecution',
      id: 'serverless:dfqX',
      nativeId: 'dfqX',
      provider: 'SERVERLESS_WORKFLOW',
      state: 'FAILED',
      providerStatus: 'FAILED',
      isTerminal: true,
      startedAt: '2026-11-20T10:00:00.123Z',
      endedAt: '2026-11-20T10:00:12.623Z',
      durationSeconds: 12.5,
      error: { message: 'step 3 failed', code: 'STEP_FAILED' },
      workflowId: 'dfqw1',
      input: { order: 7 },
      result: [true, 'ok'],
    });
  });

  it('makes an input that is not JSON a field error and keeps the rest', async () => {
    h.sims.serverless.records.set('dfqY', {
      execution: {
        id: 'dfqY',
        status: 'RUNNING',
        input: { inputJson: '{broken' },
        startedAt: '2026-11-20T10:00:00Z',
        duration: '1s',
      },
    });
    const { body } = await h.query(
      '{ execution(id: "serverless:dfqY") { state endedAt ... on ServerlessWorkflowExecution { input } } }',
    );
    expect(body.data?.execution).toEqual({ state: 'RUNNING', endedAt: null, input: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      path: ['execution', 'input'],
      extensions: { code: 'UPSTREAM_ERROR', provider: 'SERVERLESS_WORKFLOW' },
    });
  });
});

describe('Execution.createdAt', () => {
  it("is the provider's creation time where it keeps one, else the start", async () => {
    const ids = Object.entries(h.sims).map(([key, sim]) => `${key}:${sim.seeded[0]!.id}`);
    const { body } = await h.query(
      'query ($ids: [ID!]!) { executions(ids: $ids) { id createdAt startedAt } }',
      { ids },
    );
    expect(body.errors).toBeUndefined();
    const byKey = Object.fromEntries(
      (body.data?.executions as Array<Record<string, string | null>>).map((execution) => [
        execution.id!.split(':')[0],
        execution,
      ]),
    );
    // No creation time kept: the start stands for it.
    for (const key of ['cloudshell', 'serverless']) {
      expect(byKey[key]!.createdAt).toBe(byKey[key]!.startedAt);
    }
    // Refold's only time is its creation, which is its start too.
    expect(byKey.refold!.createdAt).toBe(byKey.refold!.startedAt);
    expect(byKey.durable!.createdAt).not.toBeNull();
    expect(byKey.payment!.createdAt).not.toBeNull();
  });

  it("reads the durable engine's created_at, not its start", async () => {
    const record = h.sims.durable.records.get('wf_root_1') as Record<string, unknown>;
    h.sims.durable.records.set('wf_created', {
      ...record,
      id: 'wf_created',
      created_at: '2026-11-20T09:59:00.000Z',
      started_at: '2026-11-20T10:00:00.000Z',
    });
    const execution = await one('durable:wf_created', 'DurableWorkflowExecution', 'createdAt');
    expect(execution).toMatchObject({
      startedAt: '2026-11-20T10:00:00.000Z',
      createdAt: '2026-11-20T09:59:00.000Z',
    });
  });
});
