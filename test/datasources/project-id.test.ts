import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../harness.js';

describe('the durable engine project', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ MUTATIONS: 'true', DURABLE_WORKFLOW_PROJECT_ID: 'proj-7' });
  });
  afterAll(() => h.close());

  it('is sent as X-Project-ID on fetches and stops when DURABLE_WORKFLOW_PROJECT_ID is set', async () => {
    const { body } = await h.query('mutation { stopExecution(id: "durable:wf_root_1") { id } }');
    expect(body.errors).toBeUndefined();
    const requests = h.sims.durable!.requests;
    expect(requests.map(({ method }) => method)).toEqual(['GET', 'POST', 'GET']);
    for (const request of requests) expect(request.headers['x-project-id']).toBe('proj-7');
  });

  it('is not sent when it is not configured', async () => {
    const other = await startHarness();
    try {
      await other.query('{ execution(id: "durable:wf_root_1") { id } }');
      expect(other.sims.durable!.requests[0]!.headers).not.toHaveProperty('x-project-id');
    } finally {
      await other.close();
    }
  });
});
