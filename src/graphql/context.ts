import type { Watcher } from '../watch/watcher.js';
import type { ExecutionLoaders } from './loaders.js';

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
