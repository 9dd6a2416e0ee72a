import { describe, it, expect, beforeAll, afterAll, beforeEach, afterEach } from 'vitest';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  durableSimulator,
  startDurableSimulator,
  type DurableSimulator,
} from '../../src/simulators/durable.js';
import { startSimulator } from '../../src/simulators/server.js';

interface Event {
  id: string;
  sequence_id: number;
  topic: string;
  event_type: string;
  data: Record<string, unknown> & { _metadata: { execution_id: string; workflow_id: string } };
  created_at: string;
}

/** A stream read by hand: the data of each frame (`data:` lines joined), as it arrives. */
interface Opened {
  res: Response;
  frames: string[];
  /** `performance.now()` as each frame arrived. */
  at: number[];
  /** Lines that are neither `data:` lines nor blank (there should be none). */
  others: string[];
  /** How the body ended: cleanly, or cut (an error); undefined while it is open. */
  ended?: 'end' | 'error';
  done: Promise<'end' | 'error'>;
  abort(): void;
}

const auth = { authorization: 'Bearer demo-durable-token' };
const ROOT = { workflow_id: 'order-fulfilment', workflow_run_id: 'wf_root_1' };
const ROOT_TOPIC = 'workflow/order-fulfilment/wf_root_1';
const LIVE = { workflow_id: 'nightly-sync', workflow_run_id: 'wf_live_1' };
const BILLING = { workflow_id: 'monthly-billing', workflow_run_id: 'wf_billing_7' };
const STREAM_ROUTE = 'GET /api/v1/events/stream';
/** The start value of keepaliveMs here: long enough that only the keepalive tests see any. */
const QUIET_MS = 10_000;

let sim: DurableSimulator;
const opened: Opened[] = [];
beforeAll(async () => {
  sim = await startDurableSimulator({ keepaliveMs: QUIET_MS, stopDelayMs: 40 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());
afterEach(() => {
  for (const stream of opened.splice(0)) stream.abort();
});

async function read(stream: Opened): Promise<'end' | 'error'> {
  const reader = stream.res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return (stream.ended = 'end');
      buffer += decoder.decode(value, { stream: true });
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        const line = buffer.slice(0, newline).replace(/\r$/, '');
        buffer = buffer.slice(newline + 1);
        if (line === '') {
          if (data.length > 0) {
            stream.frames.push(data.join('\n'));
            stream.at.push(performance.now());
          }
          data = [];
        } else if (line.startsWith('data:')) {
          data.push(line.slice('data:'.length).replace(/^ /, ''));
        } else {
          stream.others.push(line);
        }
      }
    }
  } catch {
    return (stream.ended = 'error');
  }
}

/** Opens a stream with `params`; resolves once its headers came. */
async function stream(
  params: Record<string, string>,
  on: DurableSimulator = sim,
  headers: Record<string, string> = auth,
): Promise<Opened> {
  const controller = new AbortController();
  const res = await fetch(`${on.url}/api/v1/events/stream?${new URLSearchParams(params)}`, {
    headers,
    signal: controller.signal,
  });
  expect(res.status).toBe(200);
  const opening: Omit<Opened, 'done'> = {
    res,
    frames: [],
    at: [],
    others: [],
    abort: () => controller.abort(),
  };
  const stream = opening as Opened;
  stream.done = read(stream);
  opened.push(stream);
  return stream;
}

const call = (params: Record<string, string>, headers: Record<string, string> = auth) =>
  fetch(`${sim.url}/api/v1/events/stream?${new URLSearchParams(params)}`, { headers });

const eventsIn = (stream: Opened): Event[] =>
  stream.frames.filter((frame) => frame !== 'keepalive').map((frame) => JSON.parse(frame) as Event);
const keepalives = (stream: Opened) => stream.frames.filter((f) => f === 'keepalive').length;

/** How `stream` ended, or 'open' when it is still open after `ms`. */
const endOf = (stream: Opened, ms = 3000): Promise<'end' | 'error' | 'open'> =>
  Promise.race([stream.done, sleep(ms, 'open' as const)]);

async function until(check: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = performance.now() + ms;
  while (!check()) {
    if (performance.now() > end) throw new Error(`Timed out after ${ms} ms waiting for ${what}.`);
    await sleep(5);
  }
}

async function listed(topic: string, on: DurableSimulator = sim): Promise<Event[]> {
  const res = await fetch(`${on.url}/api/v1/events?${new URLSearchParams({ topic })}`, {
    headers: auth,
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { events: Event[] }).events;
}

const record = (id: string) => sim.records.get(id) as Record<string, unknown>;

describe('durable event stream: stored events', () => {
  it('sends the stored events of the tree as data frames, exactly as the events list, and stays open', async () => {
    const s = await stream(ROOT);
    expect(s.res.headers.get('content-type')).toBe('text/event-stream');
    expect(s.res.headers.get('cache-control')).toBe('no-cache');
    await until(() => s.frames.length >= 20, '20 frames');
    await sleep(100);
    const list = await listed(ROOT_TOPIC);
    expect(list).toHaveLength(20);
    expect(eventsIn(s)).toEqual(list);
    expect(s.frames).toEqual(list.map((event) => JSON.stringify(event)));
    expect(s.others).toEqual([]);
    expect(s.ended).toBeUndefined();
    expect(sim.streamsOpen).toBe(1);
  });

  it('sends only the events after last_sequence_id, then the new ones', async () => {
    const s = await stream({ ...ROOT, last_sequence_id: '15' });
    await until(() => s.frames.length >= 5, '5 frames');
    await sleep(60);
    expect(eventsIn(s).map((e) => e.sequence_id)).toEqual([16, 17, 18, 19, 20]);
    const caughtUp = await stream({ ...ROOT, last_sequence_id: '20' });
    expect(sim.advance('wf_child_1b')).toBe(true);
    await until(() => s.frames.length >= 6 && caughtUp.frames.length >= 1, 'the new event');
    const published = eventsIn(s)[5]!;
    expect(published).toMatchObject({
      sequence_id: 21,
      topic: ROOT_TOPIC,
      event_type: 'workflow_finish',
      data: {
        result: null,
        _metadata: { execution_id: 'wf_child_1b', workflow_id: 'charge-card' },
      },
    });
    expect(eventsIn(caughtUp)).toEqual([published]);
    expect((await listed(ROOT_TOPIC)).at(-1)).toEqual(published);
    const resumed = await stream({ ...ROOT, last_sequence_id: '21' });
    await sleep(100);
    expect(resumed.frames).toEqual([]);
  });
});

describe('durable event stream: live events', () => {
  it('publishes the step events and one status event per change on the clock, shared with the events list', async () => {
    const s = await stream(LIVE);
    await sleep(80);
    expect(s.frames).toEqual([]);
    sim.advance('wf_live_1');
    await until(() => s.frames.length >= 2, 'the running events');
    const metadata = { execution_id: 'wf_live_1', workflow_id: 'nightly-sync' };
    expect(eventsIn(s)).toMatchObject([
      { sequence_id: 1, event_type: 'step_start', data: { step_key: 'prepare' } },
      {
        sequence_id: 2,
        event_type: 'workflow_start',
        data: { payload: { tables: 12 }, _metadata: metadata },
      },
    ]);
    sim.advance('wf_live_1');
    await until(() => s.frames.length >= 8, 'the completed events');
    await sleep(60);
    const events = eventsIn(s);
    expect(events.map((e) => [e.sequence_id, e.event_type, e.data.step_key])).toEqual([
      [1, 'step_start', 'prepare'],
      [2, 'workflow_start', undefined],
      [3, 'step_finish', 'prepare'],
      [4, 'step_start', 'load'],
      [5, 'step_finish', 'load'],
      [6, 'step_start', 'save'],
      [7, 'step_finish', 'save'],
      [8, 'workflow_finish', undefined],
    ]);
    expect(events[7]!.data).toEqual({ result: null, _metadata: metadata });
    expect(new Set(events.map((e) => e.id)).size).toBe(8);
    expect(await listed('workflow/nightly-sync/wf_live_1')).toEqual(events);
  });

  it('follows an execution a rerun starts through its states every stepMs', async () => {
    const clocked = await startDurableSimulator({ stepMs: 40, keepaliveMs: QUIET_MS });
    try {
      const res = await fetch(`${clocked.url}/api/v1/workflows/monthly-billing/run`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: '{"payload": {"month": "2026-11"}}',
      });
      const { execution_id: id } = (await res.json()) as { execution_id: string };
      const s = await stream({ workflow_id: 'monthly-billing', workflow_run_id: id }, clocked);
      await until(() => s.frames.length >= 8, 'the events of running and completing');
      await sleep(100);
      const events = eventsIn(s);
      expect(events.map((e) => e.sequence_id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(events.map((e) => e.event_type)).toEqual([
        'step_start',
        'workflow_start',
        'step_finish',
        'step_start',
        'step_finish',
        'step_start',
        'step_finish',
        'workflow_finish',
      ]);
      expect(events[1]!.data).toMatchObject({ payload: { month: '2026-11' } });
      expect(events[7]!.data).toMatchObject({ result: { saved: true } });
      expect(new Set(events.map((e) => e.data._metadata.execution_id))).toEqual(new Set([id]));
      expect(await listed(`workflow/monthly-billing/${id}`, clocked)).toEqual(events);
    } finally {
      await clocked.close();
    }
  });

  it('publishes a status event for each execution of the tree a stop changes, and stays open', async () => {
    const s = await stream(ROOT);
    await until(() => s.frames.length >= 20, 'the stored events');
    const res = await fetch(`${sim.url}/api/v1/executions/wf_root_1/cancel`, {
      method: 'POST',
      headers: auth,
    });
    expect(res.status).toBe(200);
    await until(() => s.frames.length >= 24, 'pending_cancel, then cancelled');
    const changes = eventsIn(s)
      .slice(20)
      .map((e) => [e.sequence_id, e.event_type, e.data._metadata.execution_id, e.data.status]);
    expect(changes).toEqual([
      [21, 'workflow_status', 'wf_root_1', 'pending_cancel'],
      [22, 'workflow_status', 'wf_child_1b', 'pending_cancel'],
      [23, 'workflow_status', 'wf_root_1', 'cancelled'],
      [24, 'workflow_status', 'wf_child_1b', 'cancelled'],
    ]);
    await sleep(100);
    expect(s.ended).toBeUndefined();
  });

  it("notices a status a test sets on a record within the engine's poll", async () => {
    const s = await stream({ workflow_id: 'order-fulfilment', workflow_run_id: 'wf_queued_3' });
    await sleep(60);
    expect(s.frames).toEqual([]);
    record('wf_queued_3').status = 'queued';
    await until(() => s.frames.length >= 1, 'the status event', 1000);
    expect(eventsIn(s)).toMatchObject([
      { sequence_id: 1, event_type: 'workflow_status', data: { status: 'queued' } },
    ]);
  });
});

describe('durable event stream: keepalives', () => {
  it('sends keepalive frames every keepaliveMs while idle, and takes a new keepaliveMs at once', async () => {
    const s = await stream(ROOT);
    await until(() => s.frames.length >= 20, 'the stored events');
    await sleep(150);
    expect(keepalives(s)).toBe(0);
    const from = performance.now();
    sim.keepaliveMs = 30;
    await until(() => keepalives(s) >= 4, '4 keepalives');
    expect(s.frames.slice(0, 20).every((frame) => frame !== 'keepalive')).toBe(true);
    const times = [from, ...s.at.slice(20)];
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(25);
    }
    expect(s.others).toEqual([]);
  });

  it('starts from the option, restores it on reset, and refuses a keepaliveMs that is not positive', async () => {
    expect(sim.keepaliveMs).toBe(QUIET_MS);
    sim.keepaliveMs = 5;
    sim.reset();
    expect(sim.keepaliveMs).toBe(QUIET_MS);
    expect(() => (sim.keepaliveMs = 0)).toThrow(RangeError);
    const plain = await startSimulator(durableSimulator);
    try {
      expect(plain.keepaliveMs).toBe(15_000);
    } finally {
      await plain.close();
    }
  });

  it.each([
    ['the root of another workflow', { workflow_id: 'nightly-sync', workflow_run_id: 'wf_root_1' }],
    ['a child', { workflow_id: 'reserve-stock', workflow_run_id: 'wf_child_1a' }],
    ['an unknown execution', { workflow_id: 'order-fulfilment', workflow_run_id: 'wf_nope' }],
  ])('keeps a stream on %s open with keepalives only', async (_label, params) => {
    sim.keepaliveMs = 20;
    const s = await stream(params);
    await until(() => keepalives(s) >= 3, '3 keepalives');
    expect(s.frames.every((frame) => frame === 'keepalive')).toBe(true);
    expect(s.ended).toBeUndefined();
    expect(sim.streamsOpen).toBe(1);
  });
});

describe('durable event stream: failure', () => {
  it('sends the events of a failed root, then its error, and ends', async () => {
    const s = await stream(BILLING);
    expect(await endOf(s)).toBe('end');
    expect(eventsIn(s).slice(0, -1)).toEqual(await listed('workflow/monthly-billing/wf_billing_7'));
    expect(s.frames).toHaveLength(6);
    expect(JSON.parse(s.frames.at(-1)!)).toEqual({
      type: 'error',
      message: 'upstream ledger returned 503 after 3 retries',
    });
    expect(sim.streamsOpen).toBe(0);
  });

  it('ends when the root fails while it streams; a failed child does not end it', async () => {
    const s = await stream(ROOT);
    await until(() => s.frames.length >= 20, 'the stored events');
    record('wf_child_1b').status = 'failed';
    await until(() => s.frames.length >= 21, "the child's failure", 1000);
    await sleep(100);
    expect(s.ended).toBeUndefined();
    record('wf_root_1').status = 'failed';
    expect(await endOf(s)).toBe('end');
    const tail = s.frames.slice(20).map((frame) => JSON.parse(frame) as Record<string, unknown>);
    expect(tail).toMatchObject([
      { sequence_id: 21, data: { status: 'failed', _metadata: { execution_id: 'wf_child_1b' } } },
      { sequence_id: 22, data: { status: 'failed', _metadata: { execution_id: 'wf_root_1' } } },
      { type: 'error', message: 'Execution failed' },
    ]);
    expect(tail[2]).toEqual({ type: 'error', message: 'Execution failed' });
    expect(sim.streamsOpen).toBe(0);
  });
});

describe('durable event stream: test controls', () => {
  it('cutStreams ends every open stream abruptly, not counted as aborted', async () => {
    const [a, b] = [await stream(ROOT), await stream(LIVE)];
    await until(() => a.frames.length >= 20, 'the stored events');
    expect(sim.streamsOpen).toBe(2);
    sim.cutStreams();
    expect(await endOf(a)).toBe('error');
    expect(await endOf(b)).toBe('error');
    expect(sim.streamsOpen).toBe(0);
    const entries = sim.requests.filter((request) => request.route === STREAM_ROUTE);
    expect(entries.map((request) => request.aborted)).toEqual([false, false]);
    const again = await stream(ROOT);
    await until(() => again.frames.length >= 20, 'the stored events again');
    expect(sim.streamCalls).toBe(3);
  });

  it('hangStreams holds back every frame, keepalives included, until turned off', async () => {
    sim.keepaliveMs = 20;
    const s = await stream(LIVE);
    await until(() => keepalives(s) >= 1, 'a keepalive');
    sim.hangStreams(true);
    const held = s.frames.length;
    sim.advance('wf_live_1');
    const late = await stream(LIVE);
    await sleep(150);
    expect(s.frames).toHaveLength(held);
    expect(late.frames).toEqual([]);
    expect(sim.streamsOpen).toBe(2);
    sim.hangStreams(false);
    await until(() => eventsIn(s).length >= 2 && eventsIn(late).length >= 2, 'the held events');
    expect(eventsIn(s).map((e) => e.event_type)).toEqual(['step_start', 'workflow_start']);
    expect(eventsIn(late)).toEqual(eventsIn(s));
    const events = s.frames.length;
    await until(() => s.frames.length >= events + 2, 'keepalives again');
  });

  it('counts stream calls, refused and faulted ones included, and open streams; reset clears them', async () => {
    expect((await call(ROOT, {})).status).toBe(401);
    expect((await call({ workflow_id: 'order-fulfilment' })).status).toBe(400);
    sim.inject({ kind: 'status', status: 503 }, { on: 'stream' });
    expect((await call(ROOT)).status).toBe(503);
    const s = await stream(ROOT);
    expect(sim.streamCalls).toBe(4);
    expect(sim.streamsOpen).toBe(1);
    expect(sim.stepsCalls).toBe(0);
    s.abort();
    await until(() => sim.streamsOpen === 0, 'the stream to close');
    sim.reset();
    expect(sim.streamCalls).toBe(0);
  });

  it("answers a fault injected on 'stream' with the 5xx instead, then streams", async () => {
    sim.inject({ kind: 'status', status: 503 }, { on: 'stream' });
    expect((await listed(ROOT_TOPIC)).length).toBe(20);
    const faulted = await call(ROOT);
    expect(faulted.status).toBe(503);
    expect(faulted.headers.get('content-type')).toBe('application/json');
    expect(await faulted.json()).toEqual({
      error: { code: 'unavailable', message: 'Service Unavailable' },
    });
    expect(sim.streamsOpen).toBe(0);
    const s = await stream(ROOT);
    await until(() => s.frames.length >= 20, 'the stored events');
  });

  it('answers a stream fault with an id only for streams that follow that root', async () => {
    sim.inject({ kind: 'status', status: 502 }, { on: 'stream', id: 'wf_billing_7' });
    await stream(ROOT);
    const faulted = await call(BILLING);
    expect(faulted.status).toBe(502);
    await faulted.body?.cancel();
    const s = await stream(BILLING);
    expect(await endOf(s)).toBe('end');
  });

  it.each([
    ['no workflow_run_id', { workflow_id: 'order-fulfilment' }],
    ['no workflow_id', { workflow_run_id: 'wf_root_1' }],
    ['a negative last_sequence_id', { ...ROOT, last_sequence_id: '-1' }],
    ['a last_sequence_id that is not a number', { ...ROOT, last_sequence_id: 'x' }],
  ])('answers %s with 400 and no stream', async (_label, params) => {
    const res = await call(params);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'bad_request' } });
    expect(sim.streamsOpen).toBe(0);
  });

  it('answers 401 with a wrong token and no stream', async () => {
    const res = await call(ROOT, { authorization: 'Bearer nope' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(sim.streamsOpen).toBe(0);
  });

  it('reset() ends every open stream and forgets what was published', async () => {
    const [a, b] = [await stream(ROOT), await stream(LIVE)];
    sim.advance('wf_live_1');
    await until(() => eventsIn(b).length >= 2, 'the running events');
    sim.reset();
    expect(await endOf(a)).toBe('end');
    expect(await endOf(b)).toBe('end');
    expect(sim.streamsOpen).toBe(0);
    expect(await listed('workflow/nightly-sync/wf_live_1')).toEqual([]);
    const again = await stream(LIVE);
    await sleep(80);
    expect(again.frames).toEqual([]);
  });

  it('close() ends every open stream and resolves', async () => {
    const closing = await startDurableSimulator({ keepaliveMs: 20 });
    const s = await stream(ROOT, closing);
    await until(() => keepalives(s) >= 1, 'a keepalive');
    await closing.close();
    expect(await endOf(s)).toBe('error');
    expect(closing.streamsOpen).toBe(0);
  });
});
