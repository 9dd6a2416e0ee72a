import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import type { LoadedExecution } from '../executions/model.js';
import { merge } from '../executions/watch/channel.js';
import type { WatchEvent } from '../executions/watch/watcher.js';

/** An event as the subscription's value: the execution, or the error that ends its watch. */
const resolve = (event: WatchEvent): LoadedExecution => {
  if (event instanceof Error) throw event;
  return event;
};

export const Subscription: SubscriptionResolvers = {
  executionUpdated: {
    subscribe: (_, { id }, context) => context.watcher.watch(context.executions, id),
    resolve,
  },
  executionsUpdated: {
    subscribe: (_, { ids }, context) =>
      merge([...new Set(ids)].map((id) => context.watcher.watch(context.executions, id))),
    resolve,
  },
};
