import type { MutationResolvers } from '../__generated__/resolvers-types.js';

export const Mutation: MutationResolvers = {
  stopExecution: (_, { id, force }, context) => context.executions.stop(id, force),
  // One promise per item: a failed item is null with its own error, the others stay intact.
  stopExecutions: (_, { ids, force }, context) =>
    ids.map((id) => context.executions.stop(id, force)),
  rerunExecution: (_, { id, idempotencyKey }, context) =>
    context.executions.rerun(id, idempotencyKey),
};
