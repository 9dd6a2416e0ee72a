import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minimalRecord, startHarness, type Harness } from '../harness.js';

type Key = string;

/** docs/states.md's tables, with the spellings providers are seen to use. */
const TABLE: Array<[Key, string, string]> = [
  ['cloudshell', 'pending', 'PENDING'],
  ['cloudshell', 'Running', 'RUNNING'],
  ['cloudshell', 'stopping', 'STOPPING'],
  ['cloudshell', 'Canceled', 'CANCELLED'],
  ['cloudshell', 'Completed', 'SUCCEEDED'],
  ['cloudshell', 'FAILED', 'FAILED'],
  ['cloudshell', 'Failed', 'FAILED'],
  ['cloudshell', 'Paused', 'UNKNOWN'],
  ['durable', 'pending', 'PENDING'],
  ['durable', 'running', 'RUNNING'],
  ['durable', 'completed', 'SUCCEEDED'],
  ['durable', 'failed', 'FAILED'],
  ['durable', 'cancelled', 'CANCELLED'],
  ['durable', 'queued', 'PENDING'],
  ['durable', 'claimed', 'PENDING'],
  ['durable', 'waiting', 'WAITING'],
  ['durable', 'pending_cancel', 'STOPPING'],
  ['durable', 'exploded', 'UNKNOWN'],
  ['refold', 'QUEUED', 'PENDING'],
  ['refold', 'PENDING', 'PENDING'],
  ['refold', 'RUNNING', 'RUNNING'],
  ['refold', 'IN_PROGRESS', 'RUNNING'],
  ['refold', 'COMPLETED', 'SUCCEEDED'],
  ['refold', 'success', 'SUCCEEDED'],
  ['refold', 'ERRORED', 'FAILED'],
  ['refold', 'FAILED', 'FAILED'],
  ['refold', 'STOPPED', 'CANCELLED'],
  ['refold', 'CANCELLED', 'CANCELLED'],
  ['refold', 'STOPPING', 'STOPPING'],
  ['refold', 'TIMED_OUT', 'FAILED'],
  ['refold', 'ARCHIVED', 'UNKNOWN'],
  ['payment', 'awaiting_payment', 'WAITING'],
  ['payment', 'workflow_waiting', 'WAITING'],
  ['payment', 'payment_confirmed', 'PENDING'],
  ['payment', 'workflow_queued', 'PENDING'],
  ['payment', 'workflow_running', 'RUNNING'],
  ['payment', 'WORKFLOW_SUCCEEDED', 'SUCCEEDED'],
  ['payment', 'workflow_failed', 'FAILED'],
  ['payment', 'workflow_cancelled', 'CANCELLED'],
  ['payment', 'refunded', 'UNKNOWN'],
  ['serverless', 'QUEUED', 'PENDING'],
  ['serverless', 'RUNNING', 'RUNNING'],
  ['serverless', 'PAUSED', 'WAITING'],
  ['serverless', 'STOPPED', 'CANCELLED'],
  ['serverless', 'FAILED', 'FAILED'],
  ['serverless', 'finished', 'SUCCEEDED'],
  ['serverless', 'STATUS_UNSPECIFIED', 'UNKNOWN'],
];

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  TABLE.forEach(([key, status], index) => {
    h.sims[key]!.records.set(`s${index}`, minimalRecord(key, `s${index}`, status));
  });
});
afterAll(() => h.close());

describe('state mapping', () => {
  it('maps every documented status of every provider, in any case, and keeps the raw status', async () => {
    const ids = TABLE.map(([key], index) => `${key}:s${index}`);
    const { body } = await h.query<{
      executions: Array<{ state: string; providerStatus: string; isTerminal: boolean }>;
    }>('query ($ids: [ID!]!) { executions(ids: $ids) { state providerStatus isTerminal } }', {
      ids,
    });
    expect(body.errors).toBeUndefined();
    const actual = body.data?.executions.map((e) => [e.providerStatus, e.state, e.isTerminal]);
    const expected = TABLE.map(([, status, state]) => [status, state, TERMINAL.includes(state)]);
    expect(actual).toEqual(expected);
  });
});
