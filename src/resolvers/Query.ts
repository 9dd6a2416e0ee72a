import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { loadExecution } from './execution-fields.js';

export const Query: QueryResolvers = {
  execution: (_, { id }, context) => loadExecution(context, id),
  // One promise per item: a failed item is null with its own error, the others stay intact.
  executions: (_, { ids }, context) => ids.map((id) => loadExecution(context, id)),
};
