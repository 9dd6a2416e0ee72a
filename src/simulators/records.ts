import type { ProviderKey } from './server.js';

/**
 * A small, valid execution of each provider with the given `status`, as its simulator stores it
 * in `records` (payment: `{ execution, events }`), for tests and benchmarks that add their own.
 */
export function minimalRecord(key: ProviderKey, id: string, status: string): unknown {
  const started = '2026-11-20T10:00:00.000Z';
  const ended = '2026-11-20T10:00:05.000Z';
  switch (key) {
    case 'cloudshell':
      return {
        id,
        supports_cancellation: 'false',
        started,
        ended,
        status,
        output: '',
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
        status,
        workflow_id: 'w',
      };
    case 'refold':
      return { _id: id, status, createdAt: started, name: 'sample' };
    case 'payment':
      return { execution: { id, status, startedAt: started, finishedAt: ended }, events: [] };
    case 'serverless':
      return { execution: { id, status, startedAt: started, duration: '5s' } };
  }
}
