import type { ExecutionLoaders } from '../executions/loaders.js';
import type { Watcher } from '../executions/watch/watcher.js';

/** What every resolver gets, built fresh for each GraphQL request. */
export interface Context {
  /** This request's id: the incoming `x-request-id` when usable, else a new UUID. */
  requestId: string;
  executions: ExecutionLoaders;
  /** The process's live-status pollers, for subscriptions. */
  watcher: Watcher;
  /** An incoming request header by lower-case name. */
  header(name: string): string | undefined;
}
