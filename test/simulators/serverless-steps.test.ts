import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import {
  historyEntries,
  startServerlessSimulator,
  type ServerlessExecution as Execution,
  type ServerlessHistoryEntry,
  type ServerlessSimulator,
} from '../../src/simulators/serverless.js';

interface History {
  execution: Execution;
  entries: ServerlessHistoryEntry[];
}

const auth = { authorization: 'Bearer demo-serverless-token' };
const ORDER_WORKFLOW = 'dfqw1x2y3z4a5b6c7d8e';

let sim: ServerlessSimulator;
beforeAll(async () => {
  sim = await startServerlessSimulator();
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const history = (id: string, headers: Record<string, string> = auth) =>
  fetch(`${sim.url}/workflows/v1/execution/${encodeURIComponent(id)}/history`, { headers });
const entriesOf = async (id: string): Promise<ServerlessHistoryEntry[]> => {
  const res = await history(id);
  expect(res.status).toBe(200);
  return ((await res.json()) as History).entries;
};
const start = (body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${sim.url}/workflows/v1/execution/start`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const executionOf = (id: string) => (sim.records.get(id) as { execution: Execution }).execution;
const brief = (entries: ServerlessHistoryEntry[]) =>
  entries.map(({ id, status, error }) => (error ? [id, status, error.message] : [id, status]));

describe('serverless history: shape', () => {
  it('answers the execution as its GET has it inside the envelope, and every entry field', async () => {
    const id = 'dfq1b2c3d4e5f6g7h8i9';
    const got = (await (
      await fetch(`${sim.url}/workflows/v1/execution/${id}`, { headers: auth })
    ).json()) as { execution: Execution };
    const res = await history(id);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as History;
    expect(Object.keys(body)).toEqual(['execution', 'entries']);
    expect(body.execution).toEqual(got.execution);
    expect(body.entries).toEqual([
      {
        id: 'validate',
        title: 'Validate order',
        description: 'Validate order (simulated)',
        startedAt: '2026-11-20T10:00:00.123456789Z',
        duration: '0.100s',
        input: { inputJson: '{"orderId":2}' },
        output: { outputJson: '{"valid":true}' },
        status: 'COMPLETED',
        type: 'FunctionCall',
        attempts: '1',
      },
      {
        id: 'reserve',
        title: 'Reserve stock',
        description: 'Reserve stock (simulated)',
        startedAt: '2026-11-20T10:00:00.223456789Z',
        duration: '0.150s',
        input: { inputJson: '{"valid":true}' },
        output: { outputJson: '{"reserved":true,"warehouse":"MSK-1"}' },
        status: 'COMPLETED',
        type: 'HttpCall',
        attempts: '1',
      },
      {
        id: 'charge',
        title: 'Charge card',
        description: 'Charge card (simulated)',
        startedAt: '2026-11-20T10:00:00.373456789Z',
        duration: '12.250s',
        input: { inputJson: '{"reserved":true,"warehouse":"MSK-1"}' },
        status: 'STARTED',
        type: 'HttpCall',
        attempts: '1',
      },
    ]);
  });

  it('gives each seeded execution the steps its status implies', async () => {
    const seen: Record<string, unknown> = {};
    for (const { id } of sim.seeded) seen[id] = brief(await entriesOf(id));
    expect(seen).toEqual({
      dfq0a1b2c3d4e5f6g7h8: [['validate', 'SCHEDULED']],
      dfq1b2c3d4e5f6g7h8i9: [
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'STARTED'],
      ],
      dfq2c3d4e5f6g7h8i9j0: [
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'COMPLETED'],
      ],
      dfq3d4e5f6g7h8i9j0k1: [
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'COMPLETED'],
        ['ship', 'CANCELLED'],
      ],
      dfq4e5f6g7h8i9j0k1l2: [
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'FAILED', 'HTTP 502 from upstream'],
      ],
      dfq5f6g7h8i9j0k1l2m3: [
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'COMPLETED'],
        ['ship', 'COMPLETED'],
      ],
      dfq9live0a1b2c3d4e5f: [['validate', 'SCHEDULED']],
    });
  });

  it('ends a FINISHED history with the execution result and a FAILED one with its error code', async () => {
    const finished = await entriesOf('dfq5f6g7h8i9j0k1l2m3');
    expect(finished.at(-1)!.output).toEqual({
      outputJson: executionOf('dfq5f6g7h8i9j0k1l2m3').result!.resultJson,
    });
    const failed = await entriesOf('dfq4e5f6g7h8i9j0k1l2');
    expect(failed.at(-1)).toMatchObject({
      status: 'FAILED',
      error: { message: 'HTTP 502 from upstream', errorCode: 'STEP_FAILED' },
    });
    expect(failed.at(-1)).not.toHaveProperty('output');
  });

  it('keeps every history consistent with its execution status, the older executions too', () => {
    const last: Record<string, string | undefined> = {
      QUEUED: 'SCHEDULED',
      RUNNING: 'STARTED',
      PAUSED: 'COMPLETED',
      STOPPED: 'CANCELLED',
      FAILED: 'FAILED',
      FINISHED: 'COMPLETED',
    };
    for (const { id } of [...sim.seeded, ...sim.history]) {
      const execution = executionOf(id);
      const entries = historyEntries(execution);
      expect(entries.length, id).toBeGreaterThan(0);
      expect(entries.at(-1)!.status, id).toBe(last[execution.status]);
      for (const entry of entries.slice(0, -1)) expect(entry.status, id).toBe('COMPLETED');
      if (execution.status === 'QUEUED') expect(entries, id).toHaveLength(1);
      if (execution.status === 'FAILED') {
        const failed = entries.at(-1)!;
        expect(`Step "${failed.id}" failed: ${failed.error!.message}`, id).toBe(
          execution.error!.message,
        );
      }
      for (const entry of entries) {
        expect('output' in entry, id).toBe(entry.status === 'COMPLETED');
        expect('error' in entry, id).toBe(entry.status === 'FAILED');
        expect(Date.parse(entry.startedAt), id).toBeGreaterThanOrEqual(
          Date.parse(execution.startedAt),
        );
      }
    }
    // The older FAILED executions fail at the step their error names.
    const failed = sim.history.find(({ status }) => status === 'FAILED')!;
    expect(brief(historyEntries(executionOf(failed.id)))).toEqual([
      ['prepare', 'COMPLETED'],
      ['load', 'FAILED', expect.stringMatching(/^timeout \(run \d+\)$/)],
    ]);
  });

  it('answers the same history on every call and after reset', async () => {
    const first = await entriesOf('dfq3d4e5f6g7h8i9j0k1');
    sim.reset();
    expect(await entriesOf('dfq3d4e5f6g7h8i9j0k1')).toEqual(first);
  });

  it('follows a status change, and answers entries a test sets instead', async () => {
    executionOf('dfq0a1b2c3d4e5f6g7h8').status = 'RUNNING';
    expect(brief(await entriesOf('dfq0a1b2c3d4e5f6g7h8'))).toEqual([['validate', 'STARTED']]);
    const entry = (await entriesOf('dfq1b2c3d4e5f6g7h8i9')).at(-1)!;
    sim.histories.set('dfq1b2c3d4e5f6g7h8i9', [{ ...entry, status: 'CANCEL_REQUESTED' }]);
    expect(brief(await entriesOf('dfq1b2c3d4e5f6g7h8i9'))).toEqual([
      ['charge', 'CANCEL_REQUESTED'],
    ]);
    sim.reset();
    expect(sim.histories.size).toBe(0);
  });
});

describe('serverless history: refusals', () => {
  it('answers 404 for an unknown id and 401 without the token, in the gRPC error body', async () => {
    const missing = await history('dfqnosuchexecution00');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({
      code: 5,
      details: [{ requestId: missing.headers.get('x-request-id') }],
    });
    const denied = await history('dfq1b2c3d4e5f6g7h8i9', {});
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ code: 16 });
    expect(sim.stepsCalls).toBe(2);
  });
});

describe('serverless start', () => {
  it('starts the workflow with the input, QUEUED from now, GET-able, listed, with a history', async () => {
    const before = Date.now();
    const res = await start({ workflowId: ORDER_WORKFLOW, input: { inputJson: '{"orderId":6}' } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { executionId: string };
    expect(Object.keys(body)).toEqual(['executionId']);
    expect(body.executionId).toMatch(/^dfq[a-z0-9]{17}$/);
    const got = await fetch(`${sim.url}/workflows/v1/execution/${body.executionId}`, {
      headers: auth,
    });
    const { execution } = (await got.json()) as { execution: Execution };
    expect(execution).toEqual({
      id: body.executionId,
      workflowId: ORDER_WORKFLOW,
      input: { inputJson: '{"orderId":6}' },
      status: 'QUEUED',
      startedAt: expect.any(String),
      duration: '0s',
    });
    expect(Date.parse(execution.startedAt)).toBeGreaterThanOrEqual(before - 1);
    const list = await fetch(
      `${sim.url}/workflows/v1/execution?workflowId=${ORDER_WORKFLOW}&pageSize=1`,
      { headers: auth },
    );
    const listed = (await list.json()) as { executions: Execution[] };
    expect(listed.executions.map(({ id }) => id)).toEqual([body.executionId]);
    expect(brief(await entriesOf(body.executionId))).toEqual([['validate', 'SCHEDULED']]);
    expect(sim.startCalls).toBe(1);
  });

  it('starts twice when asked twice, and without input', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2; i++) {
      const res = await start({ workflowId: 'dfqw2invoice0sync000' });
      expect(res.status).toBe(200);
      ids.add(((await res.json()) as { executionId: string }).executionId);
    }
    expect(ids.size).toBe(2);
    for (const id of ids) expect(executionOf(id)).not.toHaveProperty('input');
  });

  it.each([
    ['no workflowId', { input: { inputJson: '{}' } }, 400, 3],
    ['an empty workflowId', { workflowId: '' }, 400, 3],
    ['a body that is not JSON', '{"workflowId": ', 400, 3],
    ['an input that is not an object', { workflowId: ORDER_WORKFLOW, input: 'x' }, 400, 3],
    [
      'inputJson that is not JSON',
      { workflowId: ORDER_WORKFLOW, input: { inputJson: '{' } },
      400,
      3,
    ],
    ['an unknown workflow', { workflowId: 'dfqwnosuchworkflow00' }, 404, 5],
  ])('answers %s with %i and starts nothing', async (_label, body, status, code) => {
    const res = await start(body);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ code, message: expect.any(String) });
    expect(sim.records.size).toBe(sim.seeded.length + sim.history.length);
  });

  it('answers 401 without the token and starts nothing', async () => {
    const res = await start({ workflowId: ORDER_WORKFLOW }, {});
    expect(res.status).toBe(401);
    expect(sim.records.size).toBe(sim.seeded.length + sim.history.length);
    expect(sim.startCalls).toBe(1);
  });

  it('gives a started execution its duration at each step and the last output as result', async () => {
    const on = await startServerlessSimulator({ stopDelayMs: 30 });
    try {
      const res = await fetch(`${on.url}/workflows/v1/execution/start`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({ workflowId: ORDER_WORKFLOW, input: { inputJson: '{}' } }),
      });
      const { executionId } = (await res.json()) as { executionId: string };
      const execution = () => (on.records.get(executionId) as { execution: Execution }).execution;
      for (let i = 0; i < 100 && execution().status !== 'FINISHED'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect(execution()).toMatchObject({
        status: 'FINISHED',
        result: { resultJson: '{"shipped":true}' },
      });
      const took = Number(execution().duration.slice(0, -1));
      expect(took).toBeGreaterThanOrEqual(0.05);
      const entries = historyEntries(execution());
      expect(brief(entries)).toEqual([
        ['validate', 'COMPLETED'],
        ['reserve', 'COMPLETED'],
        ['charge', 'COMPLETED'],
        ['ship', 'COMPLETED'],
      ]);
      // Scaled into the execution's time.
      const end = Date.parse(execution().startedAt) + took * 1000;
      const last = entries.at(-1)!;
      expect(
        Date.parse(last.startedAt) + Number(last.duration.slice(0, -1)) * 1000,
      ).toBeLessThanOrEqual(end + 1);
    } finally {
      await on.close();
    }
  });
});
