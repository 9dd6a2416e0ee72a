import { describe, it, expect, beforeAll, afterAll, beforeEach } from 'vitest';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createHmac } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  REFOLD_DEMO_LINKED_ACCOUNT,
  REFOLD_SECOND_LINKED_ACCOUNT,
  startRefoldSimulator,
  type RefoldSimulator,
} from '../../src/simulators/refold.js';

const API_KEY = 'demo-refold-key';
const COMPLETED = '674d2a10c1f3b2a9e0a10005';
const ERRORED = '65410cf6cdf931a12d7ab009';
const FAILED = '674d2a10c1f3b2a9e0a10008';
const STOPPED_LEGACY_IDS = '674d2a10c1f3b2a9e0a10009';
const RUNNING = '674d2a10c1f3b2a9e0a10003';
const LIVE = '674d2a10c1f3b2a9e0a1000b';
const STEP_MS = 20;
const demo = { 'x-api-key': API_KEY, linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT };

interface Received {
  method: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  at: number;
}

/** A webhook receiver on loopback: records every request, answers `statuses` in turn, then `otherwise`. */
interface Receiver {
  url: string;
  requests: Received[];
  statuses: number[];
  otherwise: number;
  server: Server;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    requests: [],
    statuses: [],
    otherwise: 200,
    server: createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        receiver.requests.push({
          method: req.method ?? '',
          headers: req.headers,
          raw: Buffer.concat(chunks),
          at: performance.now(),
        });
        res.writeHead(receiver.statuses.shift() ?? receiver.otherwise).end('ok');
      });
    }),
  };
  await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
  const address = receiver.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  receiver.url = `http://127.0.0.1:${port}/webhooks/refold`;
  return receiver;
}

const closeReceiver = (receiver: Receiver) =>
  new Promise<void>((resolve) => {
    receiver.server.close(() => resolve());
    receiver.server.closeAllConnections();
  });

const sign = (raw: Buffer, key = API_KEY) => createHmac('sha256', key).update(raw).digest('hex');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(condition: () => boolean, what: string, ms = 3_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`Timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
}

const statusOf = (id: string) => (sim.records.get(id) as { status: string }).status;
const bodyOf = (request: Received) => JSON.parse(request.raw.toString('utf8')) as unknown;

let sim: RefoldSimulator;
let receiver: Receiver;
beforeAll(async () => {
  // Live executions step only once read, so each test starts its own clock.
  sim = await startRefoldSimulator({ stepMs: STEP_MS, liveFromFirstRead: true });
  receiver = await startReceiver();
});
afterAll(async () => {
  await sim.close();
  await closeReceiver(receiver);
});
beforeEach(() => {
  sim.reset();
  receiver.requests.length = 0;
  receiver.statuses = [];
  receiver.otherwise = 200;
});

describe('refold webhook body and signature', () => {
  it('posts the documented body as JSON, signed with the API key', async () => {
    sim.webhookUrl = receiver.url;
    expect(await sim.sendWebhook(COMPLETED)).toBe(200);
    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(request!.method).toBe('POST');
    expect(request!.headers['content-type']).toBe('application/json');
    const body = bodyOf(request!);
    expect(body).toEqual({
      linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT,
      instance_id: COMPLETED,
      workflow_id: '64f7258e35b72267edc02505',
      config_id: 'cfg-1005',
      event: 'Workflow Completed',
      workflow_name: 'Sync deals',
      status: 'COMPLETED',
    });
    expect(Object.keys(body as object)).toEqual([
      'linked_account_id',
      'instance_id',
      'workflow_id',
      'config_id',
      'event',
      'workflow_name',
      'status',
    ]);
    const signature = request!.headers['x-cobalt-signature'];
    expect(signature).toMatch(/^[0-9a-f]{64}$/);
    expect(signature).toBe(sign(request!.raw));
    expect(signature).not.toBe(sign(request!.raw, 'another-key'));
    expect(sim.webhooks).toEqual([
      {
        id: COMPLETED,
        event: 'Workflow Completed',
        status: 200,
        attempts: 1,
        sentAt: expect.any(Number),
      },
    ]);
  });

  it('names the event from the status and the execution owner as linked account', async () => {
    sim.webhookUrl = receiver.url;
    const second = [...sim.owners].find(([, owner]) => owner === REFOLD_SECOND_LINKED_ACCOUNT)![0];
    for (const id of [ERRORED, FAILED, STOPPED_LEGACY_IDS, second]) await sim.sendWebhook(id);
    const bodies = receiver.requests.map(bodyOf);
    expect(bodies).toMatchObject([
      { instance_id: ERRORED, event: 'Workflow Errored', status: 'ERRORED' },
      { instance_id: FAILED, event: 'Workflow Errored', status: 'FAILED' },
      // Sent on demand whatever its status; this record spells its workflow id `_id_`.
      {
        instance_id: STOPPED_LEGACY_IDS,
        event: 'Workflow Completed',
        status: 'STOPPED',
        workflow_id: '64f7258e35b72267edc02509',
        workflow_name: 'Close case',
      },
      { instance_id: second, linked_account_id: REFOLD_SECOND_LINKED_ACCOUNT },
    ]);
    expect(bodies.slice(0, 3)).toMatchObject(
      Array(3).fill({ linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT }),
    );
    for (const request of receiver.requests) {
      expect(request.headers['x-cobalt-signature']).toBe(sign(request.raw));
    }
  });

  it('signs with the simulator configured API key', async () => {
    const other = await startRefoldSimulator({ credentials: { apiKey: 'rotated-key' } });
    try {
      other.webhookUrl = receiver.url;
      await other.sendWebhook(COMPLETED);
      const [request] = receiver.requests;
      expect(request!.headers['x-cobalt-signature']).toBe(sign(request!.raw, 'rotated-key'));
      expect(request!.headers['x-cobalt-signature']).not.toBe(sign(request!.raw));
    } finally {
      await other.close();
    }
  });

  it('rejects without a webhookUrl or for an unknown execution, sending nothing', async () => {
    await expect(sim.sendWebhook(COMPLETED)).rejects.toThrow(/webhookUrl is not set/);
    sim.webhookUrl = receiver.url;
    await expect(sim.sendWebhook('674d000000000000000000ff')).rejects.toThrow(/no execution/);
    expect(receiver.requests).toHaveLength(0);
    expect(sim.webhooks).toEqual([]);
  });
});

describe('refold webhooks sent as executions finish', () => {
  it('sends one when a live execution completes on the clock', async () => {
    sim.webhookUrl = receiver.url;
    await fetch(`${sim.url}/api/v2/public/execution/${LIVE}`, { headers: demo });
    await waitFor(() => receiver.requests.length > 0, 'the live execution webhook');
    expect(statusOf(LIVE)).toBe('COMPLETED');
    expect(bodyOf(receiver.requests[0]!)).toMatchObject({
      instance_id: LIVE,
      event: 'Workflow Completed',
      status: 'COMPLETED',
      workflow_name: 'Live sync',
    });
    await sleep(5 * STEP_MS);
    expect(receiver.requests).toHaveLength(1);
    expect(sim.webhooks).toMatchObject([{ id: LIVE, status: 200, attempts: 1 }]);
  });

  it('sends as the lifecycle reaches COMPLETED, and not before', async () => {
    sim.webhookUrl = receiver.url;
    expect(sim.advance(LIVE)).toBe(true);
    expect(statusOf(LIVE)).toBe('RUNNING');
    await sleep(50);
    expect(receiver.requests).toHaveLength(0);
    const completedAt = performance.now();
    expect(sim.advance(LIVE)).toBe(true);
    await waitFor(() => sim.webhooks.length > 0, 'the webhook');
    expect(sim.webhooks[0]!.sentAt - completedAt).toBeLessThan(5);
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends one when a rerun completes, for the linked account that reran it', async () => {
    sim.webhookUrl = receiver.url;
    const res = await fetch(`${sim.url}/api/v2/public/execution/${COMPLETED}/rerun`, {
      method: 'POST',
      headers: demo,
    });
    const { id } = (await res.json()) as { id: string };
    await waitFor(() => receiver.requests.length > 0, 'the rerun webhook');
    expect(statusOf(id)).toBe('COMPLETED');
    expect(bodyOf(receiver.requests[0]!)).toEqual({
      linked_account_id: REFOLD_DEMO_LINKED_ACCOUNT,
      instance_id: id,
      workflow_id: '64f7258e35b72267edc02505',
      config_id: 'cfg-1005',
      event: 'Workflow Completed',
      workflow_name: 'Sync deals',
      status: 'COMPLETED',
    });
  });

  it('sends none for stopped executions', async () => {
    sim.webhookUrl = receiver.url;
    sim.stopDelayMs = 10;
    for (const id of [LIVE, RUNNING]) {
      const res = await fetch(`${sim.url}/api/v2/public/execution/${id}/stop`, {
        method: 'POST',
        headers: demo,
      });
      expect(res.status).toBe(200);
    }
    // Read, so the live execution's clock runs: it stays STOPPED.
    await fetch(`${sim.url}/api/v2/public/execution/${LIVE}`, { headers: demo });
    await waitFor(
      () => statusOf(LIVE) === 'STOPPED' && statusOf(RUNNING) === 'STOPPED',
      'both stops',
    );
    await sleep(5 * STEP_MS);
    expect(receiver.requests).toHaveLength(0);
    expect(sim.webhooks).toEqual([]);
  });

  it('sends none while webhookUrl is unset', async () => {
    await fetch(`${sim.url}/api/v2/public/execution/${LIVE}`, { headers: demo });
    await waitFor(() => statusOf(LIVE) === 'COMPLETED', 'the live execution to complete');
    await sleep(3 * STEP_MS);
    expect(receiver.requests).toHaveLength(0);
    expect(sim.webhooks).toEqual([]);
  });
});

describe('refold webhook retries', () => {
  it('retries a receiver answering 500 twice, then 200: three attempts', async () => {
    sim.webhookUrl = receiver.url;
    receiver.statuses = [500, 500];
    expect(await sim.sendWebhook(COMPLETED)).toBe(200);
    expect(receiver.requests).toHaveLength(3);
    const [first, second, third] = receiver.requests;
    for (const request of [second!, third!]) {
      expect(request.raw.equals(first!.raw)).toBe(true);
      expect(request.headers['x-cobalt-signature']).toBe(first!.headers['x-cobalt-signature']);
    }
    // Backoff of 50 then 100 ms (less a millisecond of timer rounding).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(49);
    expect(third!.at - second!.at).toBeGreaterThanOrEqual(99);
    expect(sim.webhooks).toMatchObject([{ id: COMPLETED, status: 200, attempts: 3 }]);
  });

  it('gives up after three retries, with the last status', async () => {
    sim.webhookUrl = receiver.url;
    receiver.otherwise = 500;
    expect(await sim.sendWebhook(ERRORED)).toBe(500);
    expect(receiver.requests).toHaveLength(4);
    expect(sim.webhooks).toMatchObject([
      { id: ERRORED, event: 'Workflow Errored', status: 500, attempts: 4 },
    ]);
  });

  it('logs status 0 when nothing answers', async () => {
    const gone = await startReceiver();
    await closeReceiver(gone);
    sim.webhookUrl = gone.url;
    expect(await sim.sendWebhook(COMPLETED)).toBe(0);
    expect(sim.webhooks).toMatchObject([{ id: COMPLETED, status: 0, attempts: 4 }]);
  });

  it('keeps a failing automatic delivery inside the simulator', async () => {
    sim.webhookUrl = receiver.url;
    receiver.otherwise = 503;
    sim.advance(LIVE);
    sim.advance(LIVE);
    await waitFor(() => sim.webhooks.length > 0, 'the failed delivery');
    expect(sim.webhooks).toMatchObject([{ id: LIVE, status: 503, attempts: 4 }]);
    expect(receiver.requests).toHaveLength(4);
  });
});

describe('refold webhooks and reset()', () => {
  it('clears the log and webhookUrl, so a later completion sends nothing', async () => {
    sim.webhookUrl = receiver.url;
    await sim.sendWebhook(COMPLETED);
    expect(sim.webhooks).toHaveLength(1);
    sim.reset();
    expect(sim.webhookUrl).toBeUndefined();
    expect(sim.webhooks).toEqual([]);
    sim.advance(LIVE);
    sim.advance(LIVE);
    expect(statusOf(LIVE)).toBe('COMPLETED');
    await sleep(50);
    expect(receiver.requests).toHaveLength(1);
    expect(sim.webhooks).toEqual([]);
  });

  it('stops retrying a delivery under way and leaves it out of the log', async () => {
    sim.webhookUrl = receiver.url;
    receiver.otherwise = 500;
    const sending = sim.sendWebhook(COMPLETED);
    await waitFor(() => receiver.requests.length > 0, 'the first attempt');
    sim.reset();
    await sending;
    await sleep(400);
    expect(receiver.requests).toHaveLength(1);
    expect(sim.webhooks).toEqual([]);
  });
});
