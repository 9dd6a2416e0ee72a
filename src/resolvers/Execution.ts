import type { ExecutionResolvers } from '../__generated__/resolvers-types.js';
import { refOf } from '../graphql/loaders.js';
import { loadExecution } from './execution-fields.js';

type Typename = ReturnType<
  Extract<ExecutionResolvers['__resolveType'], (...args: never[]) => unknown>
>;

export const Execution: ExecutionResolvers = {
  __resolveType: (execution) => refOf(execution).typename as Awaited<Typename>,
  __resolveReference: (reference, context) => loadExecution(context, reference.id),
};
