import type { OrderRecord } from '../../examples/orders/server.js';
import type { Harness } from '../harness.js';

/** The fulfilment steps every example order has, in order. */
export const STEP_NAMES = ['paid', 'packed', 'shipped'] as const;

/**
 * The orders the gateway tests serve from the example orders subgraph: one execution of every
 * provider, one of them twice, a parent and its child, and an id no provider has. Order `i`
 * (from 0) has its first `i % 4` steps done.
 */
export function exampleOrders(h: Harness): OrderRecord[] {
  const seeded = (key: string, index: number) => `${key}:${h.sims[key]!.seeded[index]!.id}`;
  const executionIds = [
    seeded('cloudshell', 0),
    seeded('cloudshell', 0), // two orders, one execution
    'durable:wf_child_1a', // its parent, wf_root_1, is also an order's execution below
    'durable:wf_root_1',
    seeded('refold', 0),
    seeded('payment', 5),
    seeded('serverless', 4),
    'payment:missing',
  ];
  return executionIds.map((executionId, index) => ({
    id: `o${index + 1}`,
    total: 10 * (index + 1),
    executionId,
    steps: STEP_NAMES.map((name, step) => ({ name, done: step < index % 4 })),
  }));
}
