import type { SubscriptionResolvers } from '../__generated__/resolvers-types.js';
import type { LoadedExecution } from '../graphql/loaders.js';
import { merge } from '../watch/channel.js';
import type { WatchEvent } from '../watch/watcher.js';

/** An event as the subscription's value: the execution, or the error that ends its watch. */
const resolve = (event: WatchEvent): LoadedExecution => {
  if (event instanceof Error) throw event;
  return event;
};

export const Subscription: SubscriptionResolvers = {
  executionUpdated: {
    subscribe: (_, { id }, context) => context.watcher.watch(context, id),
    resolve,
  },
  executionsUpdated: {
    subscribe: (_, { ids }, context) =>
      merge([...new Set(ids)].map((id) => context.watcher.watch(context, id))),
    resolve,
  },
};
