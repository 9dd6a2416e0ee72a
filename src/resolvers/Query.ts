import type { QueryResolvers } from '../__generated__/resolvers-types.js';
import { searchExecutions } from './Search.js';

export const Query: QueryResolvers = {
  execution: (_, { id }, context) => context.executions.load(id),
  // One promise per item: a failed item is null with its own error, the others stay intact.
  executions: (_, { ids }, context) => ids.map((id) => context.executions.load(id)),
  searchExecutions,
};
