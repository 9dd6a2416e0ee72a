import type { ProviderKey } from '../src/simulators/index.js';

/** Executions `bench-0` … per provider, for fan-out queries. */
export const BENCH_IDS_PER_PROVIDER = 20;

/** A small, valid, finished execution of each provider, as its simulator stores it. */
export function minimalRecordFor(key: ProviderKey, id: string): unknown {
  const started = '2026-11-20T10:00:00.000Z';
  const ended = '2026-11-20T10:00:05.000Z';
  switch (key) {
    case 'cloudshell':
      return {
        id,
        supports_cancellation: 'true',
        started,
        ended,
        status: 'Completed',
        output: 'ok',
        _links: { self: { href: `/executions/${id}`, method: 'GET' } },
      };
    case 'durable':
      return {
        id,
        created_at: started,
        started_at: started,
        completed_at: ended,
        payload: { n: 1 },
        retry_count: 0,
        status: 'completed',
        workflow_id: 'bench',
      };
    case 'refold':
      return { _id: id, status: 'COMPLETED', createdAt: started, name: 'bench' };
    case 'payment':
      return {
        execution: { id, status: 'workflow_succeeded', startedAt: started, finishedAt: ended },
        events: [],
      };
    case 'serverless':
      return { execution: { id, status: 'FINISHED', startedAt: started, duration: '5s' } };
  }
}
