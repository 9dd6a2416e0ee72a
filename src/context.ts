import type { ExecutionLoaders } from './loaders.js';

/** What every resolver gets, built fresh for each GraphQL request. */
export interface Context {
  executions: ExecutionLoaders;
  /** An incoming request header by lower-case name. */
  header(name: string): string | undefined;
}
