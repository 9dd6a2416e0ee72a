import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseGlobalId } from '../../src/executions/ids.js';
import { executionRequests, startHarness, type Harness } from '../harness.js';

const KEYS = ['cloudshell', 'durable', 'refold', 'payment', 'serverless'] as const;

describe('parseGlobalId', () => {
  it('splits at the first colon only', () => {
    expect(parseGlobalId('payment:a:b/c', KEYS)).toEqual({ key: 'payment', nativeId: 'a:b/c' });
  });

  it.each([
    ['an unknown provider', 'nope:1'],
    ['an empty native id', 'cloudshell:'],
    ['an empty provider', ':abc'],
    ['no colon', 'no-colon'],
    ['an upper-case key', 'CLOUDSHELL:1'],
    ['a 600-character id', `durable:${'x'.repeat(592)}`],
    ['the path step ".."', 'durable:..'],
    ['the path step "."', 'durable:.'],
  ])('refuses %s as BAD_USER_INPUT', (_, id) => {
    expect(() => parseGlobalId(id, KEYS)).toThrow(
      expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) }),
    );
  });
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => h.reset());

describe('ids on the wire', () => {
  it('sends a native id as one percent-encoded path segment', async () => {
    const { body } = await h.query('{ execution(id: "payment:../../admin?x=1#y") { id } }');
    expect(body.errors?.[0]).toMatchObject({
      path: ['execution'],
      extensions: { code: 'NOT_FOUND', provider: 'PAYMENT_WORKFLOW' },
    });
    const requests = executionRequests(h.sims, 'payment');
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('/v1/executions/..%2F..%2Fadmin%3Fx%3D1%23y');
    expect(requests[0]?.id).toBe('../../admin?x=1#y');
  });

  it('refuses malformed ids, unknown providers and path steps without any upstream request', async () => {
    const { body } = await h.query(
      '{ a: execution(id: "nope:1") { id } b: execution(id: "cloudshell:") { id } c: execution(id: "durable:..") { id } d: execution(id: "durable:.") { id } }',
    );
    expect(body.data).toEqual({ a: null, b: null, c: null, d: null });
    expect(body.errors).toHaveLength(4);
    for (const error of body.errors ?? []) {
      expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(body.errors?.[0]?.message).toContain('"nope"');
    for (const key of KEYS) expect(h.sims[key].requests).toHaveLength(0);
  });

  it('answers an id with a colon inside the native id from that provider', async () => {
    h.sims.durable.records.set('job:42', {
      id: 'job:42',
      created_at: '2026-11-20T10:00:00Z',
      retry_count: 0,
      status: 'running',
      workflow_id: 'w',
    });
    const { body } = await h.query('{ execution(id: "durable:job:42") { id nativeId } }');
    expect(body.data?.execution).toEqual({ id: 'durable:job:42', nativeId: 'job:42' });
    expect(executionRequests(h.sims, 'durable')[0]?.url).toBe('/api/v1/executions/job%3A42');
  });
});
